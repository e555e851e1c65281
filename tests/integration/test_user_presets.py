"""User presets: FRAMEPIPE_PRESET_PATH, $XDG_CONFIG_HOME/framepipe/presets, --preset-file, extends,
and what a broken preset file does (exit 8, with the file, line and column)."""
import json
import os

import fp

SIZE = "160x120"


class UserPresets(fp.TempDirTest):
    def setUp(self):
        super().setUp()
        self.env = {"XDG_CONFIG_HOME": self.path("config"), "HOME": self.path("home"), "FRAMEPIPE_PRESET_PATH": ""}

    def write(self, directory, name, doc):
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, name + ".json")
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def dry_run(self, args, env):
        proc = fp.run_framepipe(["-s", SIZE, "--dry-run", *args, "o.mp4"], env={**self.env, **env})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_preset_path_wins_over_user_config_which_wins_over_builtin(self):
        xdg = self.path("config/framepipe/presets")
        self.write(xdg, "mine", {"name": "mine", "extends": "x264-crf17", "description": "xdg", "args": ["-crf", "30"]})
        self.assertIn("-c:v libx264 -crf 30 ", self.dry_run(["-p", "mine"], {}))
        self.write("extra", "mine", {"name": "mine", "extends": "x264-crf17", "description": "env", "args": ["-crf", "31"]})
        self.assertIn("-crf 31 ", self.dry_run(["-p", "mine"], {"FRAMEPIPE_PRESET_PATH": self.path("extra")}))
        # A user preset may replace a built-in one by name.
        self.write(xdg, "vp9", {"name": "vp9", "extends": "x264-crf17", "description": "not vp9"})
        self.assertIn("-c:v libx264", fp.run_framepipe(["-s", SIZE, "--dry-run", "-p", "vp9", "o.mp4"],
                                                       env=self.env).stdout)

    def test_listing_shows_where_each_preset_came_from(self):
        path = self.write(self.path("config/framepipe/presets"), "mine",
                          {"name": "mine", "extends": "x264-crf17", "description": "my own"})
        proc = fp.run_framepipe(["--list-presets"], env=self.env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        line = [l for l in proc.stdout.splitlines() if l.startswith("mine ")][0]
        self.assertIn("my own", line)
        self.assertIn(path, line)
        self.assertRegex(proc.stdout, r"(?m)^x264-crf17 .*\[built-in\]$")

    def test_preset_file_is_used_and_encodes(self):
        path = self.write(self.dir, "sharp", {"name": "sharp", "extends": "x264-crf17", "description": "d",
                                              "args": ["-preset", "ultrafast", "-crf", "12"]})
        self.assertIn("-crf 12 ", self.dry_run(["--preset-file", path], {}))
        proc = fp.run_framepipe(["-s", SIZE, "--preset-file", path, "o.mp4"], fp.testsrc(4, SIZE), env=self.env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("preset sharp", proc.stderr)
        self.assertEqual(int(fp.ffprobe("o.mp4")[0]["nb_read_frames"]), 4)

    def test_broken_preset_files_exit_8_before_reading_input(self):
        bad = self.write(self.dir, "bad", '{\n  "name": "bad",\n  "encoder": "libx264",,\n}\n')
        proc = fp.run_framepipe(["-s", SIZE, "--preset-file", bad, "o.mp4"], b"x" * 10, env=self.env)
        self.assertEqual(proc.returncode, fp.EXIT_PRESET, proc.stderr)
        self.assertIn(f"framepipe: error: {bad}:3:24: invalid JSON: ", proc.stderr)
        loop_dir = self.path("loops")
        self.write(loop_dir, "a", {"name": "a", "extends": "b"})
        self.write(loop_dir, "b", {"name": "b", "extends": "a"})
        proc = fp.run_framepipe(["-s", SIZE, "-p", "a", "o.mp4"], b"", env={**self.env, "FRAMEPIPE_PRESET_PATH": loop_dir})
        self.assertEqual(proc.returncode, fp.EXIT_PRESET, proc.stderr)
        self.assertIn("'extends' makes a cycle: 'a' extends 'b' extends 'a'", proc.stderr)
        typo = self.write(self.dir, "typo", {"name": "typo", "extends": "x264-crf17", "descripton": "d"})
        proc = fp.run_framepipe(["-s", SIZE, "--preset-file", typo, "o.mp4"], b"", env=self.env)
        self.assertEqual(proc.returncode, fp.EXIT_PRESET, proc.stderr)
        self.assertIn("unknown field 'descripton' (did you mean 'description'?)", proc.stderr)
        self.assertFalse(os.path.exists("o.mp4"))

    def test_a_broken_fallback_is_the_fault_of_the_preset_naming_it(self):
        # No GPU here, so nvenc fails and the fallback is needed; its faults are preset errors
        # (exit 8) that name the preset file holding the "fallback" field, before input is read.
        for fallback, expected in (("x264-crf71", "falls back to 'x264-crf71', which is not a preset here"),
                                   ("vp9", "falls back to 'vp9' (libvpx-vp9), which cannot write .mp4 files")):
            path = self.write(self.dir, "myhw", {"name": "myhw", "extends": "nvenc-8M", "description": "d",
                                                 "fallback": fallback})
            proc = fp.run_framepipe(["-s", SIZE, "--preset-file", path, "o.mp4"], b"x" * 10, env=self.env)
            self.assertEqual(proc.returncode, fp.EXIT_PRESET, proc.stderr)
            self.assertIn(f"framepipe: error: preset 'myhw' ({path}) {expected}", proc.stderr)
            self.assertFalse(os.path.exists("o.mp4"))
