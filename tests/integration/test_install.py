"""`cmake --install` into a temporary prefix, then the installed framepipe, run from elsewhere:
its presets come from <prefix>/share/framepipe/presets, and the man page and bash completion are
where man and bash-completion look for them.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

import fp

BUILD_DIR = os.path.dirname(os.path.abspath(fp.FRAMEPIPE))


class Install(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="framepipe-install-")
        cls.prefix = os.path.join(cls.root, "prefix")
        proc = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", cls.prefix],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if proc.returncode != 0:
            raise AssertionError(proc.stdout.decode(errors="replace"))
        cls.bin = os.path.join(cls.prefix, "bin", "framepipe")
        cls.preset_dir = os.path.join(cls.prefix, "share", "framepipe", "presets")
        # Somewhere that is neither the source nor the build tree, with no user presets.
        cls.elsewhere = os.path.join(cls.root, "elsewhere")
        os.makedirs(cls.elsewhere)
        cls.env = {k: v for k, v in os.environ.items()
                   if k not in ("FRAMEPIPE_PRESET_PATH", "FRAMEPIPE_FFMPEG", "XDG_CONFIG_HOME")}
        cls.env["HOME"] = cls.elsewhere

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def run_installed(self, args, **kw):
        return subprocess.run([self.bin, *args], cwd=self.elsewhere, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120, **kw)

    def listed_presets(self):
        proc = self.run_installed(["--list-presets"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return sorted(line.split()[0] for line in proc.stdout.decode().splitlines() if line.strip())

    def test_binary_and_presets_are_installed(self):
        self.assertTrue(os.access(self.bin, os.X_OK))
        installed = sorted(f[:-5] for f in os.listdir(self.preset_dir) if f.endswith(".json"))
        source = sorted(f[:-5] for f in os.listdir(os.path.join(fp.SOURCE_DIR, "presets")) if f.endswith(".json"))
        self.assertEqual(installed, source)
        self.assertIn("x264-crf17", installed)

    def test_installed_binary_finds_its_presets_under_share(self):
        names = self.listed_presets()
        self.assertEqual(names, sorted(f[:-5] for f in os.listdir(self.preset_dir) if f.endswith(".json")))
        # Proof that the list comes from the prefix and not from a build tree: hide one file.
        hidden = os.path.join(self.root, "vp9.json")
        shutil.move(os.path.join(self.preset_dir, "vp9.json"), hidden)
        try:
            self.assertNotIn("vp9", self.listed_presets())
        finally:
            shutil.move(hidden, os.path.join(self.preset_dir, "vp9.json"))

    def test_installed_binary_encodes_from_another_directory(self):
        frames = fp.testsrc(10, size="160x120", pix_fmt="rgba")
        proc = self.run_installed(["-s", "160x120", "--pix-fmt", "rgba", "out.mp4"], input=frames)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        stream, _ = fp.ffprobe(os.path.join(self.elsewhere, "out.mp4"))
        self.assertEqual(int(stream["nb_read_frames"]), 10)
        proc = self.run_installed(["-s", "160x120", "-p", "vp9", "--dry-run", "out.webm"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(b"libvpx-vp9", proc.stdout)

    def test_man_page_is_installed(self):
        page = os.path.join(self.prefix, "share", "man", "man1", "framepipe.1")
        with open(page) as f:
            text = f.read()
        self.assertTrue(text.lstrip().startswith(".\\\"") or text.startswith(".TH"), text[:80])
        self.assertIn(".TH FRAMEPIPE 1", text)
        if shutil.which("groff"):
            proc = subprocess.run(["groff", "-man", "-Tutf8", "-P-cbou", "-ww", page], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
            self.assertEqual(proc.stderr, b"", "groff warnings")
            self.assertIn(b"EXIT STATUS", proc.stdout)

    def test_bash_completion_is_installed_and_completes_presets(self):
        script = os.path.join(self.prefix, "share", "bash-completion", "completions", "framepipe")
        self.assertTrue(os.path.isfile(script))
        # Complete `framepipe --preset x264` and `framepipe --pre` with the installed binary.
        probe = (f'source "{script}"\n'
                 'complete -p framepipe\n'
                 'complete_words() { COMPREPLY=(); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _framepipe;'
                 ' echo "${COMPREPLY[*]}"; }\n'
                 f'complete_words "{self.bin}" --preset x264\n'
                 f'complete_words "{self.bin}" --pre\n')
        proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], cwd=self.elsewhere, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.decode().splitlines()
        self.assertIn("-F _framepipe framepipe", lines[0])
        self.assertEqual(lines[1].split(), [n for n in self.listed_presets() if n.startswith("x264")])
        self.assertEqual(set(lines[2].split()), {"--preset", "--preset-file"})


if __name__ == "__main__":
    unittest.main()
