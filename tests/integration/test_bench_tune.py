"""framepipe bench --tune and --save-preset: the CRF found just meets --min-ssim, an impossible
target says so with exit status 10, the saved preset is what `framepipe -p NAME` then uses, and an
existing preset is not replaced without -y."""
import json
import os

import fp
import test_bench

SIZE, FPS = test_bench.SIZE, test_bench.FPS
TARGET = 0.95  # between x264's SSIM at CRF 17 and at 23 on the test frames


class BenchTune(test_bench.BenchCase):
    def user_file(self, name):
        return self.path(f"config/framepipe/presets/{name}.json")

    def tune(self, *args, expect=0):
        return self.bench("--presets", "x264-crf17", "--min-ssim", str(TARGET), "--tune", *args,
                          expect=expect)

    def test_tune_finds_the_largest_crf_that_meets_min_ssim(self):
        proc, doc, rows = self.tune()
        tune = doc["tune"]
        self.assertEqual(tune["preset"], "x264-crf17")
        self.assertEqual(tune["outcome"], "found", tune["message"])
        self.assertEqual(tune["preset_crf"], 17)
        crf, result = tune["crf"], tune["result"]
        self.assertGreater(crf, 17)  # x264-crf17 is above the target: a smaller file meets it
        self.assertGreaterEqual(result["ssim_mean"], TARGET)
        self.assertLess(result["bytes"], rows["x264-crf17"]["bytes"])
        self.assertEqual(result["failed_constraints"], [])
        # Just meets it: the next CRF up misses, or this one is within the search's tolerance.
        by_crf = {p["crf"]: p for p in tune["probes"]}
        self.assertEqual(by_crf[crf]["ssim_mean"], result["ssim_mean"])
        if crf + 1 in by_crf:
            self.assertLess(by_crf[crf + 1]["ssim_mean"], TARGET)
        else:
            self.assertLessEqual(result["ssim_mean"] - TARGET, 0.0005)
        self.assertLessEqual(len(tune["probes"]), 7)
        self.assertEqual(tune["probes"][0], {"crf": 17, "ssim_mean": rows["x264-crf17"]["ssim_mean"],
                                             "bytes": rows["x264-crf17"]["bytes"],
                                             "bytes_per_minute": rows["x264-crf17"]["bytes_per_minute"],
                                             "cached": False})
        # Each probe on stderr as it runs; the answer and its row on stdout.
        for n, probe in enumerate(tune["probes"], 1):
            self.assertIn(f"framepipe bench: --tune x264-crf17, probe {n} of at most 7: CRF {probe['crf']}: ",
                          proc.stderr)
        self.assertIn(f"Tuned x264-crf17 for --min-ssim {TARGET}: CRF {crf} (the preset has 17)", proc.stdout)
        self.assertIn(f"\nx264-crf17-crf{crf} ", proc.stdout)
        self.assertIn("--save-preset NAME", proc.stdout)

        # A second run is all cached: the same answer without an encode.
        proc, again, _ = self.tune()
        self.assertEqual(again["tune"]["crf"], crf)
        self.assertTrue(all(p["cached"] for p in again["tune"]["probes"]))

    def test_an_unreachable_target_is_refused_with_its_own_status(self):
        proc, doc, _ = self.bench("--presets", "x264-crf23", "--min-ssim", "0.99999", "--tune",
                                  expect=test_bench.EXIT_CONSTRAINTS_UNMET)
        tune = doc["tune"]
        self.assertEqual(tune["outcome"], "unreachable")
        self.assertIsNone(tune["crf"])
        self.assertIsNone(doc["recommended"])
        self.assertIn(0, [p["crf"] for p in tune["probes"]])  # the best x264 can do was tried
        self.assertTrue(all(p["ssim_mean"] < 0.99999 for p in tune["probes"]))
        self.assertIn("framepipe: error: no preset meets --min-ssim 0.99999:\n  x264-crf23: SSIM 0.", proc.stderr)
        self.assertIn("\n--tune: x264-crf23 cannot reach --min-ssim 0.99999: even CRF 0, its best quality, "
                      "gives SSIM 0.", proc.stderr)
        self.assertIn("loosen a constraint, or try other presets with --presets", proc.stderr)

    def test_a_saved_preset_is_what_framepipe_p_name_uses(self):
        proc, doc, _ = self.tune("--save-preset", "plots")
        crf = doc["tune"]["crf"]
        self.assertEqual(doc["saved_preset"], {"name": "plots", "file": self.user_file("plots")})
        self.assertIn(f"Saved as preset plots in {self.user_file('plots')}. Use it with:\n"
                      f"  framepipe -s {SIZE} --pix-fmt rgba -r {FPS} -p plots OUTPUT.mp4\n", proc.stdout)
        with open(self.user_file("plots")) as f:
            saved = json.load(f)
        self.assertEqual(saved["name"], "plots")
        self.assertEqual(saved["args"], ["-preset", "ultrafast", "-crf", str(crf)])
        self.assertIn(f"CRF {crf} is the largest meeting --min-ssim {TARGET}", saved["comment"])

        listed = fp.run_framepipe(["--list-presets"], env=self.env)
        self.assertIn("plots", listed.stdout)
        dry = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "rgba", "-r", FPS, "-p", "plots", "--dry-run", "out.mp4"],
                               env=self.env)
        self.assertEqual(dry.returncode, 0, dry.stderr)
        argv = dry.stdout.split()
        self.assertEqual(argv[argv.index("-crf") + 1], str(crf))
        # And the file it makes is the one the bench measured (x264 is deterministic).
        run = fp.run_framepipe(["-i", "src.raw", "-s", SIZE, "--pix-fmt", "rgba", "-r", FPS, "-p", "plots",
                                "-q", "out.mp4"], env=self.env)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(os.path.getsize("out.mp4"), doc["tune"]["result"]["bytes"])
        self.assertEqual(fp.frames_in("out.mp4"), test_bench.FRAMES)

    def test_save_preset_refuses_to_replace_a_preset_without_y(self):
        self.tune("--save-preset", "plots")
        with open(self.user_file("plots")) as f:
            first = f.read()
        # Refused before anything is captured or measured.
        proc = fp.run_framepipe(["bench", "-i", "src.raw", "-s", SIZE, "--pix-fmt", "rgba", "-r", FPS,
                                 "--presets", "x264-crf23", "--min-ssim", "0.9", "--save-preset", "plots"],
                                env=self.env, timeout=120)
        self.assertEqual(proc.returncode, fp.EXIT_OUTPUT, proc.stderr)
        self.assertEqual(proc.stderr, f"framepipe: error: the user preset 'plots' exists ('{self.user_file('plots')}'): "
                                      "give -y (--overwrite) to replace it, or choose another name\n")
        with open(self.user_file("plots")) as f:
            self.assertEqual(f.read(), first)
        # With -y, the recommendation (no --tune) replaces it, as the preset it came from.
        _, doc, _ = self.bench("--presets", "x264-crf23", "--min-ssim", "0.9", "--save-preset", "plots", "-y")
        self.assertEqual(doc["recommended"], "x264-crf23")
        with open(self.user_file("plots")) as f:
            saved = json.load(f)
        self.assertEqual(saved["args"], ["-preset", "ultrafast", "-crf", "23"])
        # A built-in name only with -y; a name that is a path never.
        for name, status in (("x264-crf17", fp.EXIT_OUTPUT), ("../plots", fp.EXIT_USAGE)):
            proc = fp.run_framepipe(["bench", "--min-ssim", "0.9", "--save-preset", name], env=self.env)
            self.assertEqual(proc.returncode, status, proc.stderr)
            self.assertNotIn("capturing", proc.stderr)

    def test_tune_and_save_preset_need_what_they_act_on(self):
        cases = [(["--tune"], "framepipe: error: --tune searches the CRF that just meets --min-ssim: give one, "
                              "e.g. --tune --min-ssim 0.95\n"),
                 (["--save-preset", "plots"], "framepipe: error: --save-preset saves the recommendation, which "
                                              "needs a constraint (--max-size, --min-speed, --min-ssim, --web), "
                                              "or the result of --tune\n"),
                 (["--min-ssim", "0.9", "-y"], "framepipe: error: -y (--overwrite) lets --save-preset replace a "
                                               "preset: give --save-preset NAME too\n")]
        for args, message in cases:
            proc = fp.run_framepipe(["bench", *args], env=self.env)
            self.assertEqual(proc.returncode, fp.EXIT_USAGE, args)
            self.assertEqual(proc.stderr, message)
