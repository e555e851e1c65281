"""framepipe's own RGB-to-YUV conversion (--convert) against ffmpeg's, through real encodes."""
import json
import unittest

import fp

SIZE = "96x64"
ODD = "65x37"
TAGS = ("width", "height", "pix_fmt", "color_space", "color_range", "color_primaries", "color_transfer",
        "chroma_location")
LAYOUTS = ("rgba", "argb", "bgra", "abgr", "rgb0", "bgr0", "0rgb", "rgb24", "bgr24", "gray")


def decoded(path, pix_fmt):
    """Every frame of a video as raw bytes."""
    return fp.subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-f", "rawvideo",
                              "-pix_fmt", pix_fmt, "-"], check=True, stdout=fp.subprocess.PIPE).stdout


def worst(a, b):
    assert len(a) == len(b) and a, (len(a), len(b))
    return max(abs(x - y) for x, y in zip(a, b))


class Convert(fp.TempDirTest):
    def encode(self, raw, size, pix_fmt, convert, output, preset_args=("-p", "x264-lossless")):
        proc = fp.run_framepipe(["-s", size, "--pix-fmt", pix_fmt, *preset_args, "--convert", convert,
                                 "--stats-json", output + ".json", "-v", output], raw)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(output + ".json") as f:
            self.assertEqual(json.load(f)["conversion"], convert)
        return proc

    def test_every_8_bit_layout_matches_ffmpeg_to_one_level_in_444_with_the_same_tags(self):
        for layout in LAYOUTS:
            with self.subTest(layout=layout):
                raw = fp.testsrc(3, SIZE, layout)
                ours = self.encode(raw, SIZE, layout, "framepipe", f"{layout}-fp.mp4")
                self.assertIn(f"converting {layout} to yuv444p (BT.709, tv range) in framepipe on", ours.stderr)
                self.encode(raw, SIZE, layout, "ffmpeg", f"{layout}-ff.mp4")
                a, _ = fp.ffprobe(f"{layout}-fp.mp4")
                b, _ = fp.ffprobe(f"{layout}-ff.mp4")
                for key in TAGS:
                    self.assertEqual(a.get(key), b.get(key), key)
                self.assertLessEqual(worst(decoded(f"{layout}-fp.mp4", "yuv444p"),
                                           decoded(f"{layout}-ff.mp4", "yuv444p")), 1)

    def test_odd_sizes_in_420_are_padded_like_ffmpeg_and_differ_only_in_chroma_filtering(self):
        # A lossless 4:2:0 preset: the only differences left are the conversions'.
        with open("l420.json", "w") as f:
            json.dump({"name": "l420", "extends": "x264-lossless", "pix_fmt": "yuv420p", "warning": ""}, f)
        raw = fp.testsrc(3, ODD, "rgb24", extra=("--labels",))
        for convert in ("framepipe", "ffmpeg"):
            self.encode(raw, ODD, "rgb24", convert, f"{convert}.mkv", ("--preset-file", "l420.json"))
        a, _ = fp.ffprobe("framepipe.mkv")
        b, _ = fp.ffprobe("ffmpeg.mkv")
        for key in TAGS:
            self.assertEqual(a.get(key), b.get(key), key)
        self.assertEqual((a["width"], a["height"]), (66, 38))
        ours, theirs = decoded("framepipe.mkv", "yuv420p"), decoded("ffmpeg.mkv", "yuv420p")
        luma = 66 * 38
        frame = luma * 3 // 2
        for i in range(3):
            f, g = ours[i * frame:(i + 1) * frame], theirs[i * frame:(i + 1) * frame]
            # Y, padding included, to one level; chroma is the 2x2 mean here and a bicubic filter
            # in ffmpeg's scale, both centred: close, but not to the level on sharp edges.
            self.assertLessEqual(worst(f[:luma], g[:luma]), 1)
            self.assertGreater(fp.psnr(f[luma:], g[luma:]), 40)

    def test_auto_converts_8_bit_input_and_leaves_16_bit_input_to_ffmpeg(self):
        raw = fp.testsrc(2, SIZE, "rgba")
        proc = fp.run_framepipe(["-s", SIZE, "--stats-json", "s.json", "a.mp4"], raw)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open("s.json") as f:
            stats = json.load(f)
        self.assertEqual(stats["conversion"], "framepipe")
        self.assertGreaterEqual(stats["conversion_threads"], 1)
        raw16 = fp.testsrc(2, SIZE, "gray16le")
        proc = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "gray16le", "--stats-json", "s.json", "b.mp4"], raw16)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open("s.json") as f:
            stats = json.load(f)
        self.assertEqual(stats["conversion"], "ffmpeg")
        self.assertIsNone(stats["conversion_threads"])

    def test_convert_framepipe_refuses_what_it_cannot_convert(self):
        proc = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "gray16le", "--convert", "framepipe", "x.mp4"])
        self.assertEqual(proc.returncode, fp.EXIT_USAGE)
        self.assertEqual(proc.stderr,
                         "framepipe: error: --convert framepipe cannot convert gray16le input for preset "
                         "'x264-superfast-crf17' (yuv420p): framepipe converts 8-bit RGB and gray into yuv420p "
                         "or yuv444p for software encoders; use --convert auto to let ffmpeg do it\n")

    def test_dry_run_prints_the_ffmpeg_side_conversion(self):
        proc = fp.run_framepipe(["-s", SIZE, "--dry-run", "d.mp4"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("scale=out_color_matrix=bt709", proc.stdout)
        self.assertIn("-pix_fmt rgba", proc.stdout)

    def test_threads_and_partial_last_frame_with_conversion(self):
        raw = fp.testsrc(5, SIZE, "rgba") + b"\0" * 100
        proc = fp.run_framepipe(["-s", SIZE, "--convert", "framepipe", "--convert-threads", "3",
                                 "--stats-json", "s.json", "p.mp4"], raw)
        self.assertEqual(proc.returncode, fp.EXIT_INPUT, proc.stderr)
        self.assertIn("input ended 100 bytes into frame 6", proc.stderr)
        self.assertEqual(fp.frames_in("p.mp4"), 5)
        with open("s.json") as f:
            self.assertEqual(json.load(f)["conversion_threads"], 3)


if __name__ == "__main__":
    unittest.main()
