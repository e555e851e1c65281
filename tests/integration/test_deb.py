"""framepipe's Debian package (tools/make-deb, `make deb`): where its files go, what it depends on,
that the binary unpacked from it runs and finds the packaged presets, and that lintian finds no
error in it. Installing it with apt-get is tools/install-deb-test's job (it needs root).

The package is built in <build>/deb, a build of its own with prefix /usr and Debian's flags (a
minute or two the first time, registered with a longer timeout and the label `deb`), unless
FRAMEPIPE_DEB names one already built, e.g. by `make deb`.

Skips (exit code 125) when dpkg-deb or dpkg-shlibdeps is missing; `make deb` installs them.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import fp

PREBUILT = os.environ.get("FRAMEPIPE_DEB")
for tool in ["dpkg-deb"] + ([] if PREBUILT else ["dpkg-shlibdeps", "dpkg-buildflags"]):
    if shutil.which(tool) is None:
        print(f"SKIP: {tool} is not installed (make deb installs it: apt-get install dpkg-dev)")
        sys.exit(125)

BUILD_DIR = os.path.dirname(os.path.abspath(fp.FRAMEPIPE))
TOOLS = os.path.join(fp.SOURCE_DIR, "tools")


def output(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, timeout=120, **kw).stdout.decode()


def cached(name):
    """A CMakeCache.txt entry of the test's own build tree, or None."""
    with open(os.path.join(BUILD_DIR, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.rstrip("\n").partition("=")[2] or None
    return None


def build_package():
    """Builds the package in <build>/deb with tools/make-deb and returns its path."""
    env = dict(os.environ)
    # The test's build tree compiles through ccache when it was configured so: so does this one.
    launcher = cached("CMAKE_CXX_COMPILER_LAUNCHER")
    if launcher and "CMAKE_CXX_COMPILER_LAUNCHER" not in env:
        env["CMAKE_CXX_COMPILER_LAUNCHER"] = launcher
    out_dir = os.path.join(BUILD_DIR, "deb")
    proc = subprocess.run([os.path.join(TOOLS, "make-deb"), out_dir, out_dir], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=840)
    if proc.returncode != 0:
        raise AssertionError("tools/make-deb failed:\n" + proc.stderr.decode(errors="replace")[-4000:])
    return proc.stdout.decode().strip()


class DebianPackage(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.deb = PREBUILT or build_package()
        cls.root = tempfile.mkdtemp(prefix="framepipe-deb-")
        cls.tree = os.path.join(cls.root, "tree")
        output(["dpkg-deb", "-x", cls.deb, cls.tree])
        cls.listing = output(["dpkg-deb", "-c", cls.deb])
        # Somewhere that is neither the source, the build nor the unpacked tree, with no user presets.
        cls.elsewhere = os.path.join(cls.root, "elsewhere")
        os.makedirs(cls.elsewhere)
        cls.env = {k: v for k, v in os.environ.items()
                   if k not in ("FRAMEPIPE_PRESET_PATH", "FRAMEPIPE_FFMPEG", "XDG_CONFIG_HOME")}
        cls.env["HOME"] = cls.elsewhere
        cls.bin = os.path.join(cls.tree, "usr", "bin", "framepipe")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def field(self, name):
        return output(["dpkg-deb", "-f", self.deb, name]).strip()

    def entries(self):
        """{path: (mode, owner)} of every file and folder in the package, per dpkg-deb -c."""
        result = {}
        for line in self.listing.splitlines():
            mode, owner, _size, _date, _time, path = line.split(None, 5)
            result[path[1:].rstrip("/") or "/"] = (mode, owner)
        return result

    def run_unpacked(self, args, **kw):
        return subprocess.run([self.bin, *args], cwd=self.elsewhere, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120, **kw)

    def test_files_are_where_debian_expects_them_owned_by_root(self):
        entries = self.entries()
        presets = sorted(f for f in os.listdir(os.path.join(fp.SOURCE_DIR, "presets")) if f.endswith(".json"))
        expected = {"/usr/bin/framepipe": "-rwxr-xr-x",
                    "/usr/bin/framepipe-testsrc": "-rwxr-xr-x",
                    "/usr/share/man/man1/framepipe.1.gz": "-rw-r--r--",
                    "/usr/share/bash-completion/completions/framepipe": "-rw-r--r--",
                    "/usr/share/doc/framepipe/copyright": "-rw-r--r--",
                    "/usr/share/doc/framepipe/changelog.Debian.gz": "-rw-r--r--"}
        expected.update({f"/usr/share/framepipe/presets/{p}": "-rw-r--r--" for p in presets})
        # The Python package where Debian's python3 imports it, and its source tree for pip.
        python = os.path.join(fp.SOURCE_DIR, "python")
        for top, dirs, names in os.walk(python):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in names:
                rel = os.path.relpath(os.path.join(top, name), python)
                expected[f"/usr/share/framepipe/python/{rel}"] = "-rw-r--r--"
                if rel.startswith("framepipe/"):
                    expected[f"/usr/lib/python3/dist-packages/{rel}"] = "-rw-r--r--"
        files = {path: mode for path, (mode, _) in entries.items() if not mode.startswith("d")}
        self.assertEqual(files, expected)
        self.assertEqual({owner for _, owner in entries.values()}, {"root/root"})
        self.assertEqual({mode for mode, _ in entries.values() if mode.startswith("d")}, {"drwxr-xr-x"})

    def test_name_and_version_come_from_cmake_and_this_release(self):
        upstream = output([fp.FRAMEPIPE, "--version"]).split()[-1]
        release = output([os.path.join(TOOLS, "deb-release")]).strip()
        version, arch = self.field("Version"), self.field("Architecture")
        revision = os.environ.get("FRAMEPIPE_DEB_REVISION", "1")
        self.assertEqual(version, f"{upstream}-{revision}~{release}")
        self.assertEqual(arch, output(["dpkg", "--print-architecture"]).strip())
        self.assertEqual(os.path.basename(self.deb), f"framepipe_{version}_{arch}.deb")
        self.assertEqual(self.field("Package"), "framepipe")
        self.assertEqual(self.field("Section"), "video")
        self.assertEqual(self.field("Priority"), "optional")

    def test_depends_on_ffmpeg_and_the_boost_it_links(self):
        depends = [d.strip().split()[0] for d in self.field("Depends").split(",")]
        self.assertIn("ffmpeg", depends)
        self.assertIn("libc6", depends)
        # The Boost.Filesystem package of the library the binary was linked with: 1.81 on
        # Debian 12, 1.83 on Debian 13.
        needed = re.search(r"libboost_filesystem\.so\.(\d+\.\d+\.\d+)", output(["readelf", "-d", self.bin]))
        self.assertIsNotNone(needed)
        self.assertIn(f"libboost-filesystem{needed.group(1)}", depends)

    def test_unpacked_binary_runs_and_lists_the_packaged_presets(self):
        proc = self.run_unpacked(["--version"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, output([fp.FRAMEPIPE, "--version"]).encode())
        proc = self.run_unpacked(["--list-presets"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        listed = sorted(line.split()[0] for line in proc.stdout.decode().splitlines() if "[built-in]" in line)
        packaged = sorted(f[:-5] for f in os.listdir(os.path.join(self.tree, "usr/share/framepipe/presets")))
        self.assertEqual(listed, packaged)
        # Installed, it finds them beside /usr/bin; failing that, where it was built to look.
        with open(self.bin, "rb") as f:
            self.assertIn(b"/usr/share/framepipe/presets\0", f.read())

    def test_unpacked_binary_encodes(self):
        frames = fp.testsrc(10, size="160x120", pix_fmt="rgba")
        proc = self.run_unpacked(["-s", "160x120", "--pix-fmt", "rgba", "-p", "x264-crf23", "out.mp4"],
                                 input=frames)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        stream, _ = fp.ffprobe(os.path.join(self.elsewhere, "out.mp4"))
        self.assertEqual((stream["codec_name"], int(stream["nb_read_frames"])), ("h264", 10))

    def test_man_page_is_gzipped_best_and_without_name_or_date(self):
        with open(os.path.join(self.tree, "usr/share/man/man1/framepipe.1.gz"), "rb") as f:
            data = f.read()
        # RFC 1952 header: no FNAME flag and MTIME 0 (gzip -n), XFL 2 (gzip -9).
        self.assertEqual(data[:3], b"\x1f\x8b\x08")
        self.assertEqual(data[3] & 0x08, 0)
        self.assertEqual(data[4:8], b"\0\0\0\0")
        self.assertEqual(data[8], 2)
        with open(os.path.join(fp.SOURCE_DIR, "docs", "framepipe.1"), "rb") as f:
            self.assertEqual(gzip.decompress(data), f.read())

    def test_copyright_is_machine_readable_and_changelog_names_the_version(self):
        with open(os.path.join(self.tree, "usr/share/doc/framepipe/copyright")) as f:
            copyright_text = f.read()
        self.assertTrue(copyright_text.startswith(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"))
        self.assertRegex(copyright_text, r"(?m)^Files: \*$")
        self.assertRegex(copyright_text, r"(?m)^License: \S")
        with gzip.open(os.path.join(self.tree, "usr/share/doc/framepipe/changelog.Debian.gz"), "rt") as f:
            first = f.readline()
        self.assertTrue(first.startswith(f"framepipe ({self.field('Version')}) "), first)

    def test_lintian_reports_no_errors(self):
        if shutil.which("lintian") is None:
            self.skipTest("lintian is not installed (make deb installs it)")
        proc = subprocess.run(["lintian", "--allow-root", self.deb], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=300)
        report = proc.stdout.decode(errors="replace")
        self.assertEqual([line for line in report.splitlines() if line.startswith("E:")], [], report)
        self.assertEqual(proc.returncode, 0, report)


if __name__ == "__main__":
    unittest.main()
