"""The bash completion (completions/framepipe.bash) from the source tree, driving the built framepipe:
the subcommands bench and concat and their options, and `framepipe [OPTIONS] OUTPUT` as before.

Each case sets COMP_WORDS and COMP_CWORD as bash does, calls _framepipe in a plain bash (no
bash-completion package: its fallback path) and reads COMPREPLY.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import fp

SCRIPT = os.path.join(fp.SOURCE_DIR, "completions", "framepipe.bash")


class Completion(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="framepipe-completion-")
        for name in ("frames.rgba", "part-0.mp4", "part-300.mp4"):
            open(os.path.join(cls.dir, name), "wb").close()
        # No user presets: the listing is the built-in one.
        cls.env = {k: v for k, v in os.environ.items()
                   if k not in ("FRAMEPIPE_PRESET_PATH", "XDG_CONFIG_HOME")}
        cls.env["HOME"] = cls.dir

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def complete(self, *words):
        """COMPREPLY for the command line `framepipe WORDS...`, the last word being completed."""
        quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in (fp.FRAMEPIPE, *words))
        probe = (f'source "{SCRIPT}"\n'
                 f'COMP_WORDS=({quoted}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMPREPLY=()\n'
                 '_framepipe\n'
                 'printf "%s\\n" "${COMPREPLY[@]}"\n')
        proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], cwd=self.dir, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, b"")
        return sorted(line for line in proc.stdout.decode().splitlines() if line)

    def help_options(self, *subcommand):
        """The options a --help lists in its Options section, parsed here independently."""
        text = subprocess.run([fp.FRAMEPIPE, *subcommand, "--help"], stdout=subprocess.PIPE, check=True,
                              env=self.env).stdout.decode()
        options = set()
        for line in text.splitlines():
            m = re.match(r"\s+(-\S+)", line)
            if m:
                options.update(m.group(1).split(","))
        return options

    def listed_presets(self):
        """The names --list-presets gives, as the completion takes them (an encoder of "-": none)."""
        proc = subprocess.run([fp.FRAMEPIPE, "--list-presets"], stdout=subprocess.PIPE, check=True, env=self.env)
        rows = [line.split() for line in proc.stdout.decode().splitlines()]
        return [row[0] for row in rows if len(row) > 1 and row[1] != "-"]

    def test_subcommands_are_offered_as_the_first_word(self):
        self.assertEqual(self.complete("be"), ["bench"])
        self.assertEqual(self.complete("con"), ["concat"])
        self.assertEqual(self.complete("part-3"), ["part-300.mp4"])
        # Not after other words: there they are output names like any other.
        self.assertEqual(self.complete("-s", "1280x720", "be"), [])

    def test_bench_offers_every_option_its_help_lists(self):
        offered = set(self.complete("bench", "-"))
        self.assertEqual(offered, self.help_options("bench"))
        self.assertIn("--min-ssim", offered)
        self.assertEqual(self.complete("bench", "--min"), ["--min-speed", "--min-ssim"])
        # A bench takes no file names of its own: a bare word gets the options too.
        self.assertIn("--tune", self.complete("bench", ""))

    def test_bench_option_values(self):
        self.assertEqual(self.complete("bench", "-i", "fr"), ["frames.rgba"])
        self.assertEqual(self.complete("bench", "--pix-fmt", "grayf"), ["grayf32le"])
        self.assertEqual(self.complete("bench", "-s", "1920"), ["1920x1080"])
        for free in ("--max-size", "--min-speed", "--min-ssim", "--frames", "--save-preset"):
            self.assertEqual(self.complete("bench", free, ""), [], free)

    def test_bench_presets_complete_the_last_item_of_the_list(self):
        presets = self.listed_presets()
        self.assertIn("x264-crf17", presets)
        self.assertEqual(self.complete("bench", "--presets", "x264-crf1"),
                         sorted(p for p in presets if p.startswith("x264-crf1")))
        vp = sorted("x264-crf17," + p for p in presets if p.startswith("vp"))
        self.assertTrue(vp)
        self.assertEqual(self.complete("bench", "--presets", "x264-crf17,vp"), vp)
        self.assertIn("all", self.complete("bench", "--presets", "a"))
        self.assertNotIn("x264-crf17,all", self.complete("bench", "--presets", "x264-crf17,a"))

    def test_concat_options_and_segments(self):
        self.assertEqual(set(self.complete("concat", "-")), self.help_options("concat"))
        self.assertEqual(self.complete("concat", "--re"), ["--remove-segments"])
        self.assertEqual(self.complete("concat", "--progress", "j"), ["json"])
        self.assertEqual(self.complete("concat", "out.mp4", "part-"), ["part-0.mp4", "part-300.mp4"])

    def test_main_command_is_unchanged(self):
        # The options of its Options section only: its examples mention bench's --quick.
        self.assertEqual(set(self.complete("-")), self.help_options() | {"--"})
        self.assertEqual(self.complete("--q"), ["--quiet"])
        self.assertEqual(self.complete("-p", "x264-superfast"), ["x264-superfast-crf17"])
        self.assertEqual(self.complete("--input-format", "y"), ["y4m"])
        self.assertEqual(self.complete("--progress", "b"), ["bar"])
        for number in ("--segment-start", "--frames", "--progress-fd"):
            self.assertEqual(self.complete(number, ""), [], number)
        self.assertEqual(self.complete("-s", "1280x720", "part-0"), ["part-0.mp4"])
        # After `--` the words are ffmpeg's.
        self.assertEqual(self.complete("-s", "1280x720", "--", "-c"), [])


if __name__ == "__main__":
    unittest.main()
