"""`cmake --install` puts the Python package where Debian's python3 imports it from under
/usr/local, and its source with pyproject.toml under share/, from which pip installs it offline
into a virtual environment, as a user who cannot write there."""
import os
import shutil
import subprocess
import tempfile
import unittest

import fp

BUILD_DIR = os.path.dirname(os.path.abspath(fp.FRAMEPIPE))
PYTHON = "/usr/bin/python3"


def system_python(code, env=None):
    return subprocess.run([PYTHON, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env, timeout=120)


class PythonInstall(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="framepipe-pyinstall-")
        os.chmod(cls.root, 0o755)
        cls.prefix = os.path.join(cls.root, "prefix")
        proc = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", cls.prefix],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if proc.returncode != 0:
            raise AssertionError(proc.stdout.decode(errors="replace"))
        cls.env = dict(os.environ, FRAMEPIPE=os.path.join(cls.prefix, "bin", "framepipe"))
        cls.env.pop("PYTHONPATH", None)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def test_package_goes_where_python3_looks_under_usr_local(self):
        # The directory Debian's python3 reads under /usr/local, asked of python3 itself.
        proc = system_python("import sys; print([p for p in sys.path if p.startswith('/usr/local/lib/')"
                             " and p.endswith('dist-packages')][0])")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        relative = os.path.relpath(proc.stdout.strip(), "/usr/local")
        installed = os.path.join(self.prefix, relative, "framepipe")
        self.assertTrue(os.path.isfile(os.path.join(installed, "mpl.py")), installed)
        env = dict(self.env, PYTHONPATH=os.path.join(self.prefix, relative))
        proc = system_python("import framepipe, framepipe.mpl; print(framepipe.__file__)", env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), os.path.join(installed, "__init__.py"))

    def test_pip_installs_the_shared_source_into_a_venv_offline(self):
        source = os.path.join(self.prefix, "share", "framepipe", "python")
        self.assertTrue(os.path.isfile(os.path.join(source, "pyproject.toml")))
        venv = os.path.join(self.root, "venv")
        user = []
        if os.geteuid() == 0:
            # As root anything is writable: run as nobody, who cannot write into the shared copy.
            subprocess.run(["chmod", "-R", "a+rX,go-w", self.root], check=True)
            os.makedirs(venv)
            shutil.chown(venv, "nobody")
            user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        env = dict(self.env, HOME=venv, PIP_NO_CACHE_DIR="1", MPLCONFIGDIR=os.path.join(venv, "mpl"))
        for cmd in ([PYTHON, "-m", "venv", "--system-site-packages", venv],
                    [os.path.join(venv, "bin", "pip"), "install", "--no-index", "--no-build-isolation", source]):
            proc = subprocess.run(user + cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  env=env, timeout=300, cwd=venv)
            self.assertEqual(proc.returncode, 0, proc.stdout)
        proc = subprocess.run(user + [os.path.join(venv, "bin", "python"), "-c",
                                      "import framepipe, framepipe.mpl; print(framepipe.__file__)"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=venv)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith(venv), proc.stdout)
        self.assertEqual(sorted(os.listdir(source)), ["README.md", "framepipe", "pyproject.toml", "setup.py"])


if __name__ == "__main__":
    unittest.main()
