"""framepipe bench: the numbers are honest (lossless is lossless, alignment and colour matrix are
real, SSIM/PSNR match an independent ffmpeg command, sizes are the files'), the recommendation
meets its constraints, and an impossible constraint says so with exit status 10."""
import json
import os
import re
import subprocess

import fp

SIZE, FPS, FRAMES = "320x240", "30", 30
EXIT_CONSTRAINTS_UNMET = 10


class BenchCase(fp.TempDirTest):
    """Set-up and helpers of the bench tests (test_bench_tune.py too): 30 frames of 320x240 in
    src.raw, user presets and the cache in the test's directory."""

    def setUp(self):
        super().setUp()
        with open("src.raw", "wb") as f:
            f.write(fp.testsrc(FRAMES, SIZE, "rgba", FPS, extra=["--labels"]))
        presets = self.path("config/framepipe/presets")
        os.makedirs(presets)
        # The same preset written to MPEG-TS (no container colour tags), once as it is and once
        # with its H.264 stream re-tagged as BT.601 without touching a pixel.
        self.user_preset(presets, {"name": "x264-ts", "extends": "x264-crf17", "containers": ["ts"]})
        self.user_preset(presets, {"name": "x264-601-tag", "extends": "x264-ts",
                                   "args": ["-preset", "ultrafast", "-crf", "17",
                                            "-bsf:v", "h264_metadata=matrix_coefficients=6"]})
        # Lossless, but the first frame dropped: every frame is one off.
        self.user_preset(presets, {"name": "ffv1-shifted", "extends": "ffv1",
                                   "filters": ["trim=start_frame=1,setpts=PTS-STARTPTS"]})
        self.env = {"XDG_CONFIG_HOME": self.path("config"), "HOME": self.dir, "FRAMEPIPE_PRESET_PATH": "",
                    "XDG_CACHE_HOME": self.path("cache")}

    @staticmethod
    def user_preset(directory, doc):
        doc.setdefault("description", doc["name"])
        with open(os.path.join(directory, doc["name"] + ".json"), "w") as f:
            json.dump(doc, f)

    def bench(self, *args, expect=0):
        proc = fp.run_framepipe(["bench", "-i", "src.raw", "-s", SIZE, "--pix-fmt", "rgba", "-r", FPS,
                                 "--json", "bench.json", *args], env=self.env, timeout=240)
        self.assertEqual(proc.returncode, expect, proc.stderr)
        with open("bench.json") as f:
            doc = json.load(f)
        return proc, doc, {p["preset"]: p for p in doc["presets"]}


def ffmpeg_has_libvmaf():
    listing = subprocess.run(["ffmpeg", "-hide_banner", "-filters"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, check=True).stdout
    return any(line.split()[1:2] == ["libvmaf"] for line in listing.splitlines())


class Bench(BenchCase):
    def test_lossless_alignment_and_colour_matrix_are_real(self):
        _, doc, rows = self.bench("--presets", "ffv1,ffv1-shifted,x264-ts,x264-601-tag")
        self.assertEqual(doc["content"]["frames"], FRAMES)
        ffv1 = rows["ffv1"]
        self.assertTrue(ffv1["lossless"])
        self.assertIsNone(ffv1["psnr_mean_db"])  # infinite
        self.assertEqual(ffv1["ssim_mean"], 1.0)
        self.assertEqual(ffv1["ssim_worst"], 1.0)
        self.assertEqual(ffv1["frames_compared"], FRAMES)
        shifted = rows["ffv1-shifted"]
        self.assertLess(shifted["psnr_mean_db"], 35)
        self.assertLess(shifted["ssim_mean"], 0.99)
        right, wrong = rows["x264-ts"], rows["x264-601-tag"]
        self.assertEqual(right["decoded_as"], "bt709 tv")
        self.assertEqual(wrong["decoded_as"], "bt601 tv")
        self.assertLess(wrong["psnr_mean_db"], right["psnr_mean_db"] - 1)
        self.assertLess(wrong["ssim_mean"], right["ssim_mean"])

    def independent_scores(self, video):
        """SSIM and PSNR from a plain ffmpeg command: each filter on its own, timestamps as they are."""
        def run(metric):
            graph = ("[1:v]scale=in_color_matrix=bt709:in_range=tv:flags=accurate_rnd+full_chroma_int,"
                     f"format=gbrp[d];[0:v]format=gbrp[r];[d][r]{metric}")
            proc = subprocess.run(["ffmpeg", "-nostdin", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", SIZE,
                                   "-r", FPS, "-i", "src.raw", "-i", video, "-lavfi", graph, "-f", "null", "-"],
                                  stderr=subprocess.PIPE, check=True, text=True)
            return proc.stderr
        ssim = float(re.search(r"SSIM .* All:([0-9.]+)", run("ssim")).group(1))
        psnr = float(re.search(r"PSNR .* average:([0-9.]+)", run("psnr")).group(1))
        return ssim, psnr

    def test_numbers_match_an_independent_ffmpeg_command_and_the_file(self):
        _, _, rows = self.bench("--presets", "x264-crf17")
        row = rows["x264-crf17"]
        # The same encode again, kept this time (x264 is deterministic for the same settings).
        proc = fp.run_framepipe(["-i", "src.raw", "-s", SIZE, "--pix-fmt", "rgba", "-r", FPS,
                                 "-p", "x264-crf17", "-q", "out.mp4"], env=self.env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(row["bytes"], os.path.getsize("out.mp4"))
        ssim, psnr = self.independent_scores("out.mp4")
        self.assertAlmostEqual(row["ssim_mean"], ssim, delta=0.001)
        self.assertAlmostEqual(row["psnr_mean_db"], psnr, delta=0.05)
        self.assertAlmostEqual(row["bytes_per_minute"], row["bytes"] * 60 / (FRAMES / 30), delta=1)

    def test_recommendation_meets_every_constraint_and_prints_the_command(self):
        proc, doc, rows = self.bench("--presets", "x264-crf17,x264-crf23,ffv1,x264-lossless",
                                     "--min-ssim", "0.95", "--max-size", "200MB", "--min-speed", "0.1x",
                                     "--web")
        pick = rows[doc["recommended"]]
        self.assertEqual(pick["failed_constraints"], [])
        self.assertGreaterEqual(pick["ssim_mean"], 0.95)
        self.assertLessEqual(pick["bytes_per_minute"], 200e6)
        self.assertGreaterEqual(pick["speed"], 0.1)
        self.assertTrue(pick["web"])
        for row in rows.values():
            if not row["failed_constraints"]:
                self.assertGreaterEqual(row["bytes"], pick["bytes"])
        self.assertIn("does not play in browsers (--web)", rows["ffv1"]["failed_constraints"])
        self.assertIn(f"framepipe -s {SIZE} --pix-fmt rgba -r 30 -p {doc['recommended']} OUTPUT.mp4",
                      proc.stdout)

    def test_an_impossible_constraint_is_refused_with_its_own_status(self):
        proc, doc, _ = self.bench("--presets", "x264-crf23", "--min-ssim", "0.99999",
                                  expect=EXIT_CONSTRAINTS_UNMET)
        self.assertIsNone(doc["recommended"])
        self.assertIn("framepipe: error: no preset meets --min-ssim 0.99999:\n  x264-crf23: SSIM 0.", proc.stderr)
        self.assertIn("loosen a constraint, or try other presets with --presets", proc.stderr)
        self.assertIn("x264-crf23", proc.stdout)  # the table is still printed

    def test_built_in_content_is_named_in_the_header(self):
        proc = fp.run_framepipe(["bench", "-s", SIZE, "--frames", "10", "--presets", "x264-crf17"],
                                env=self.env, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith("built-in plot + picture"), proc.stdout)
        self.assertIn("10 frames", proc.stdout)

    def test_a_second_run_on_the_same_frames_comes_from_the_cache(self):
        _, _, first = self.bench("--presets", "x264-crf17,x264-ts")
        proc, _, second = self.bench("--presets", "x264-crf17,x264-ts")
        for name in ("x264-crf17", "x264-ts"):
            self.assertFalse(first[name]["cached"])
            self.assertTrue(second[name]["cached"])
            for field in ("bytes", "encode_seconds", "ssim_mean", "psnr_mean_db"):
                self.assertEqual(first[name][field], second[name][field])
        self.assertIn("(cached: --no-cache to measure again)", proc.stderr)
        _, _, again = self.bench("--presets", "x264-crf17", "--no-cache")
        self.assertFalse(again["x264-crf17"]["cached"])
        # Other frames are another key.
        with open("src.raw", "r+b") as f:
            f.write(b"\xff" * 1000)
        _, _, changed = self.bench("--presets", "x264-crf17")
        self.assertFalse(changed["x264-crf17"]["cached"])

    def test_vmaf_is_a_column_only_where_ffmpeg_has_libvmaf(self):
        proc, doc, rows = self.bench("--presets", "x264-crf17")
        header = next(line for line in proc.stdout.splitlines() if line.startswith("preset "))
        if ffmpeg_has_libvmaf():
            self.assertIn("VMAF", header.split())
            self.assertGreater(rows["x264-crf17"]["vmaf_mean"], 50)
            self.assertLessEqual(rows["x264-crf17"]["vmaf_worst"], rows["x264-crf17"]["vmaf_mean"])
        else:  # Debian's ffmpeg
            self.assertNotIn("VMAF", header.split())
            self.assertIn("\nvmaf: unavailable (this ffmpeg has no libvmaf)\n", proc.stdout)
            self.assertEqual(doc["vmaf"], "unavailable (this ffmpeg has no libvmaf)")
            self.assertNotIn("vmaf_mean", rows["x264-crf17"])

    def test_bad_values_are_usage_errors(self):
        proc = fp.run_framepipe(["bench", "--max-size", "12XB"], env=self.env)
        self.assertEqual(proc.returncode, fp.EXIT_USAGE)
        self.assertIn("framepipe: error: invalid size '12XB'", proc.stderr)
        proc = fp.run_framepipe(["bench", "--min-ssim", "2"], env=self.env)
        self.assertEqual(proc.returncode, fp.EXIT_USAGE)
        proc = fp.run_framepipe(["bench", "--presets", "nosuch"], env=self.env)
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
