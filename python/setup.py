"""Build in a temporary directory, not in this one: the installed copy of this source
(<prefix>/share/framepipe/python) belongs to root, and `pip install` of it runs as a user.
Everything else is in pyproject.toml."""
import atexit
import shutil
import tempfile

import setuptools

scratch = tempfile.mkdtemp(prefix="framepipe-build-")
atexit.register(shutil.rmtree, scratch, True)
setuptools.setup(options={"egg_info": {"egg_base": scratch}, "build": {"build_base": scratch},
                          "bdist_wheel": {"bdist_dir": scratch + "/bdist"}})
