"""Makes the source tree's python/framepipe importable and points it at the framepipe under test.

The integration tests of the Python package import this before `framepipe`; examples and child
scripts get the same through child_env().
"""
import os
import sys

import fp

PACKAGE_DIR = os.path.join(fp.SOURCE_DIR, "python")
sys.path.insert(0, PACKAGE_DIR)
os.environ["FRAMEPIPE"] = fp.FRAMEPIPE


def child_env(**extra):
    """The environment for a Python child that imports framepipe from the source tree."""
    env = fp.framepipe_env(extra)
    env["PYTHONPATH"] = PACKAGE_DIR + os.pathsep + env.get("PYTHONPATH", "")
    env["FRAMEPIPE"] = fp.FRAMEPIPE
    env["MPLBACKEND"] = "Agg"
    return env


def exists(pid):
    """True while `pid` exists, zombie or not."""
    return os.path.exists(f"/proc/{pid}")
