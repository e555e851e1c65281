"""Self-describing streams from real producers (ffmpeg, netpbm, matplotlib) on framepipe's stdin
without --size: N frames in, N out, content intact (PSNR against the producer's own output,
measured by ffmpeg's psnr filter), sizes and colour tags right; and the errors a broken stream
gets, with their exact messages.
"""
import os
import re
import subprocess
import unittest
import zlib

import fp

N = 12
W, H = 320, 240
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, which has python3-matplotlib


def produce(args):
    """The bytes an ffmpeg producer writes to stdout, from its test pattern."""
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
                           f"testsrc2=s={W}x{H}:r=25", "-frames:v", str(N), *args, "-"],
                          check=True, stdout=subprocess.PIPE).stdout


def psnr(video, source, demuxer, source_filter):
    """Average PSNR (RGB) between framepipe's video and the stream it was given, both turned to
    rgb24 with the matrix each was made with."""
    with open("source.bin", "wb") as f:
        f.write(source)
    proc = subprocess.run(["ffmpeg", "-nostdin", "-i", video, "-f", demuxer, "-i", "source.bin",
                           "-lavfi", "[0]scale=in_color_matrix=bt709:in_range=tv,format=rgb24[a];"
                           f"[1]{source_filter}format=rgb24[b];[a][b]psnr", "-f", "null", "-"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    m = re.search(r"PSNR r:.* average:(\S+)", proc.stderr)
    assert m, proc.stderr[-2000:]
    return float(m.group(1))


def y4m_header_end(data):
    return data.index(b"\n") + 1


class Streams(fp.TempDirTest):

    def encode(self, data, args=(), expect=fp.EXIT_OK):
        proc = fp.run_framepipe([*args, "out.mp4"], data)
        self.assertEqual(proc.returncode, expect, proc.stderr)
        return proc

    def check_video(self, frames, width=W, height=H):
        stream, _ = fp.ffprobe("out.mp4")
        self.assertEqual(int(stream["nb_read_frames"]), frames)
        self.assertEqual((stream["width"], stream["height"]), (width, height))
        self.assertEqual(stream["color_space"], "bt709")
        self.assertEqual(stream["color_primaries"], "bt709")
        self.assertEqual(stream["pix_fmt"], "yuv420p")
        return stream

    def test_y4m_420_from_ffmpeg(self):
        data = produce(["-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe"])
        self.encode(data)
        stream = self.check_video(N)
        self.assertEqual(stream["r_frame_rate"], "25/1")
        # 320x240 is SD: BT.601 by the rule, converted to the BT.709 the video is tagged with
        # (measured: 34 dB; read as BT.709 the same video scores 25 dB).
        self.assertGreater(psnr("out.mp4", data, "yuv4mpegpipe",
                                "scale=in_color_matrix=bt601:in_range=tv,"), 30)

    def test_y4m_422_10bit_with_strict(self):
        data = produce(["-pix_fmt", "yuv422p10le", "-strict", "-1", "-f", "yuv4mpegpipe"])
        self.assertIn(b" C422p10", data[:y4m_header_end(data)])
        self.encode(data)
        self.check_video(N)
        self.assertGreater(psnr("out.mp4", data, "yuv4mpegpipe",
                                "scale=in_color_matrix=bt601:in_range=tv,"), 30)

    def test_input_matrix_override(self):
        data = produce(["-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe"])
        self.encode(data, ["--input-matrix", "bt709"])
        self.assertGreater(psnr("out.mp4", data, "yuv4mpegpipe",
                                "scale=in_color_matrix=bt709:in_range=tv,"), 30)

    def test_y4m_from_gstreamer_y4menc(self):
        # y4menc is in gstreamer1.0-plugins-bad (the Makefile's test packages).
        gst = subprocess.Popen(["gst-launch-1.0", "-q", "videotestsrc", f"num-buffers={N}", "!",
                                f"video/x-raw,format=Y42B,width={W},height={H},framerate=25/1", "!",
                                "y4menc", "!", "fdsink", "fd=1"], stdout=subprocess.PIPE)
        data, _ = gst.communicate(timeout=60)
        self.assertEqual(gst.returncode, 0)
        self.assertTrue(data.startswith(b"YUV4MPEG2 C422 "), data[:40])
        self.encode(data)
        self.check_video(N)
        self.assertGreater(psnr("out.mp4", data, "yuv4mpegpipe",
                                "scale=in_color_matrix=bt601:in_range=tv,"), 30)

    def test_ppm_pgm_pam_from_ffmpeg_image2pipe(self):
        for codec, pix_fmt, demuxer in [("ppm", "rgb24", "ppm_pipe"), ("pgm", "gray", "pgm_pipe"),
                                        ("pam", "rgba", "pam_pipe")]:
            with self.subTest(codec=codec):
                data = produce(["-pix_fmt", pix_fmt, "-c:v", codec, "-f", "image2pipe"])
                self.encode(data, ["-y", "-r", "25"])
                self.check_video(N)
                self.assertGreater(psnr("out.mp4", data, demuxer, ""), 35)

    def test_png_from_ffmpeg_image2pipe(self):
        data = produce(["-pix_fmt", "rgb24", "-c:v", "png", "-f", "image2pipe"])
        proc = self.encode(data, ["-r", "25", "--stats-json", "stats.json", "--progress", "json"])
        self.check_video(N)
        self.assertGreater(psnr("out.mp4", data, "png_pipe", ""), 35)
        import json
        with open("stats.json") as f:
            self.assertEqual(json.load(f)["frames_read"], N)
        self.assertEqual(fp.json_lines(proc.stderr)[-1]["frames_read"], N)

    def test_png_every_colour_type_decoded_exactly_as_ffmpeg_decodes_it(self):
        """framepipe decodes PNG itself (libspng): through the lossless RGB preset, every colour
        type and bit depth ffmpeg's encoder writes, and netpbm's Adam7-interlaced palette, give
        the very pixels ffmpeg's own PNG decoder gives. 16-bit images are reduced to the preset's
        8 bits by ffmpeg from framepipe's rgba64le or from its own ya16be, whose rounding may
        differ by one level."""
        def rgb24(args):
            return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", *args, "-pix_fmt", "rgb24", "-f",
                                   "rawvideo", "-"], check=True, stdout=subprocess.PIPE).stdout

        streams = {pix_fmt: produce(["-pix_fmt", pix_fmt, "-c:v", "png", "-f", "image2pipe"])
                   for pix_fmt in ["rgb24", "rgba", "gray", "gray16be", "pal8", "rgb48be", "ya8", "monob",
                                   "rgba64be", "ya16be"]}
        ppm = subprocess.run(["ppmmake", "-maxval", "255", "rgb:20/80/c0", "33", "17"], check=True,
                             stdout=subprocess.PIPE).stdout
        streams["netpbm interlaced"] = subprocess.run(["pnmtopng", "-interlace"], input=ppm, check=True,
                                                      stdout=subprocess.PIPE).stdout * 3
        for name, data in streams.items():
            with self.subTest(name):
                proc = fp.run_framepipe(["-y", "-p", "ffv1", "out.mkv"], data)
                self.assertEqual(proc.returncode, fp.EXIT_OK, proc.stderr)
                with open("source.png", "wb") as f:
                    f.write(data)
                expected = rgb24(["-f", "png_pipe", "-i", "source.png"])
                frames = 3 if name == "netpbm interlaced" else N
                self.assertEqual(len(expected), frames * (33 * 17 if frames == 3 else W * H) * 3)
                got = rgb24(["-i", "out.mkv"])
                self.assertEqual(len(got), len(expected))
                if name in ("gray16be", "rgb48be", "rgba64be", "ya16be"):
                    self.assertLessEqual(max(abs(a - b) for a, b in zip(got, expected)), 1)
                else:
                    self.assertEqual(got, expected)

    def test_png_decoded_and_converted_on_the_threads_asked_for(self):
        data = produce(["-pix_fmt", "rgba", "-c:v", "png", "-f", "image2pipe"])
        proc = self.encode(data, ["-r", "25", "-v", "--convert-threads", "1", "--stats-json", "stats.json"])
        self.check_video(N)
        self.assertIn("framepipe: converting rgba to yuv420p (BT.709, tv range) in framepipe on 1 threads",
                      proc.stderr)
        self.assertIn("Input #0, rawvideo", proc.stderr)  # ffmpeg no longer decodes the PNG
        import json
        with open("stats.json") as f:
            stats = json.load(f)
        self.assertEqual((stats["conversion"], stats["conversion_threads"], stats["frames_read"]),
                         ("framepipe", 1, N))
        self.assertGreater(psnr("out.mp4", data, "png_pipe", ""), 35)
        # --dry-run's command decodes the images itself, so that it runs on the same input alone.
        dry = fp.run_framepipe(["-r", "25", "--dry-run", "dry.mp4"], data)
        self.assertEqual(dry.returncode, fp.EXIT_OK, dry.stderr)
        self.assertIn(" -f png_pipe -framerate 25 -i - ", dry.stdout)
        subprocess.run(["sh", "-c", dry.stdout], input=data, check=True, capture_output=True)
        self.assertEqual(fp.frames_in("dry.mp4"), N)

    def test_png_16_bit_is_converted_by_ffmpeg_and_refused_for_convert_framepipe(self):
        data = produce(["-pix_fmt", "rgb48be", "-c:v", "png", "-f", "image2pipe"])
        proc = self.encode(data, ["-r", "25", "-v"])
        self.check_video(N)
        self.assertIn("converting rgb48le to yuv420p (BT.709, tv range) in ffmpeg", proc.stderr)
        self.assertGreater(psnr("out.mp4", data, "png_pipe", ""), 35)
        proc = self.encode(data, ["-y", "--convert", "framepipe"], expect=fp.EXIT_USAGE)
        self.assertEqual(proc.stderr, "framepipe: error: --convert framepipe cannot convert rgb48le input for "
                         "preset 'x264-superfast-crf17' (yuv420p): framepipe converts 8-bit RGB and gray into "
                         "yuv420p or yuv444p for software encoders; use --convert auto to let ffmpeg do it\n")

    def test_netpbm_tools_with_odd_maxval(self):
        frames = [subprocess.run(["ppmmake", "-maxval", "1023", colour, "64", "48"], check=True,
                                 stdout=subprocess.PIPE).stdout
                  for colour in ["red", "green", "blue", "white"]]
        self.encode(b"".join(frames))
        self.check_video(4, 64, 48)
        # maxval 1023 is rescaled: white stays white, not a quarter grey.
        white = fp.decode_frame("out.mp4", 3, "rgb24", "64x48")
        self.assertGreater(min(white), 240)

    def test_pgmramp_frames_into_framepipe_through_a_pipe(self):
        ramp = subprocess.run(["pgmramp", "-lr", "64", "48"], check=True, stdout=subprocess.PIPE).stdout
        self.encode(ramp * 5, ["--frames", "5"])
        self.check_video(5, 64, 48)

    def test_matplotlib_savefig_png_into_framepipe(self):
        script = f"""
import subprocess, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(3.2, 2.4), dpi=100)
p = subprocess.Popen([{fp.FRAMEPIPE!r}, "out.mp4"], stdin=subprocess.PIPE)
for i in range(10):
    ax.clear()
    ax.plot([0, 1], [0, i])
    fig.savefig(p.stdin, format="png")
p.stdin.close()
raise SystemExit(p.wait())
"""
        proc = subprocess.run([SYSTEM_PYTHON, "-c", script], env=fp.framepipe_env(), stderr=subprocess.PIPE)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.check_video(10, 320, 240)

    # --- broken streams ---

    def test_truncated_y4m_keeps_whole_frames(self):
        data = produce(["-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe"])
        frame = 6 + W * H * 3 // 2
        start = y4m_header_end(data)
        cut = data[:start + 4 * frame + 6 + 1000]
        proc = self.encode(cut, expect=fp.EXIT_INPUT)
        self.assertIn(f"framepipe: error: reading stdin failed after 4 frames: the input ended "
                      f"inside frame 5, which starts at byte {start + 4 * frame}: only 1000 of "
                      f"its {W * H * 3 // 2} bytes of pixels arrived; the frames before it were "
                      "kept", proc.stderr)
        self.assertNotIn("warning", proc.stderr)
        self.assertIn("wrote 4 frames (0.16 s at 25 fps)", proc.stderr)
        self.assertEqual(fp.frames_in("out.mp4"), 4)

    def test_corrupt_png_crc_keeps_frames_before(self):
        one = produce(["-pix_fmt", "rgb24", "-c:v", "png", "-frames:v", "1", "-f", "image2pipe"])
        idat = one.index(b"IDAT")
        bad = bytearray(one)
        bad[idat + 10] ^= 0xFF
        proc = self.encode(one * 2 + bytes(bad), expect=fp.EXIT_INPUT)
        self.assertRegex(proc.stderr, r"framepipe: error: reading stdin failed after 2 frames: "
                         rf"frame 3 at byte {2 * len(one) + idat - 4}: .*CRC")
        self.assertEqual(fp.frames_in("out.mp4"), 2)

    def test_corrupt_first_png_read_with_the_header_ends_the_run(self):
        """A small first image arrives whole with the bytes read for its header: a damaged one
        must end the run at once, not wait for input that the walk no longer wants."""
        one = produce(["-pix_fmt", "rgb24", "-c:v", "png", "-frames:v", "1", "-f", "image2pipe"])
        self.assertLess(len(one), 64 * 1024)
        idat = one.index(b"IDAT")
        bad = bytearray(one)
        bad[idat + 10] ^= 0xFF
        proc = fp.run_framepipe(["out.mp4"], bytes(bad) + one, timeout=30)
        self.assertEqual(proc.returncode, fp.EXIT_INPUT, proc.stderr)
        self.assertRegex(proc.stderr, r"framepipe: error: reading stdin failed before a whole frame arrived: "
                         rf"frame 1 at byte {idat - 4}: bad PNG chunk CRC in IDAT .*; nothing was written")
        self.assertFalse(os.path.exists("out.mp4"))

    def test_png_image_data_that_does_not_decode_keeps_frames_before(self):
        """Chunks whose CRCs are right around image data that is not zlib: only decoding finds it."""
        one = produce(["-pix_fmt", "rgb24", "-c:v", "png", "-frames:v", "1", "-f", "image2pipe"])
        ihdr_end = 8 + 8 + 13 + 4
        idat = b"not zlib"
        chunk = len(idat).to_bytes(4, "big") + b"IDAT" + idat + \
            zlib.crc32(b"IDAT" + idat).to_bytes(4, "big")
        iend = one[one.index(b"IEND") - 4:]
        broken = one[:ihdr_end] + chunk + iend
        proc = self.encode(one * 3 + broken + one, expect=fp.EXIT_INPUT)
        self.assertRegex(proc.stderr, r"framepipe: error: reading stdin failed after 3 frames: frame 4 at "
                         rf"byte {3 * len(one)}: the PNG's image data does not decode: .*\(libspng error \d+\); "
                         "the image is damaged, or not one PNG allows; the frames before it were kept")
        self.assertEqual(fp.frames_in("out.mp4"), 3)

    def test_changed_size_is_refused(self):
        big = subprocess.run(["ppmmake", "red", "64", "48"], check=True, stdout=subprocess.PIPE).stdout
        small = subprocess.run(["ppmmake", "red", "32", "32"], check=True, stdout=subprocess.PIPE).stdout
        proc = self.encode(big * 3 + small, expect=fp.EXIT_INPUT)
        self.assertIn("framepipe: error: reading stdin failed after 3 frames: frame 4 at byte "
                      f"{3 * len(big)}: it is 32x32 rgb24, but frame 1 was 64x48 rgb24; every "
                      "frame must have the first frame's size and format (framepipe never scales "
                      "frames); the frames before it were kept", proc.stderr)
        self.assertEqual(fp.frames_in("out.mp4"), 3)

    def test_unknown_y4m_colourspace(self):
        proc = self.encode(b"YUV4MPEG2 W64 H48 F25:1 Cfoo\nFRAME\n", expect=fp.EXIT_INPUT)
        self.assertIn("framepipe: error: frame 1 at byte 0: ", proc.stderr)
        self.assertIn("'Cfoo'", proc.stderr)
        self.assertFalse(os.path.exists("out.mp4"))

    def test_contradicting_size_and_agreeing_size(self):
        data = produce(["-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe"])
        proc = self.encode(data, ["--input-format", "y4m", "-s", "640x480"], expect=fp.EXIT_USAGE)
        self.assertEqual(proc.stderr, "framepipe: error: --size 640x480 contradicts the YUV4MPEG2 "
                         "input, whose header says 320x240: drop --size (the stream says what its "
                         "frames are)\n")
        proc = self.encode(data, ["--fps", "30"], expect=fp.EXIT_USAGE)
        self.assertIn("--fps 30 contradicts the YUV4MPEG2 input, whose header says 25", proc.stderr)
        self.encode(data, ["--input-format", "y4m", "-s", f"{W}x{H}", "--fps", "25"])
        self.check_video(N)

    def test_unrecognised_input_without_size(self):
        proc = self.encode(b"hello world", expect=fp.EXIT_USAGE)
        self.assertEqual(proc.stderr, "framepipe: error: --size is required for raw frames: give "
                         "the frame size, e.g. --size 1280x720 (without it framepipe reads "
                         "YUV4MPEG2, PGM/PPM (P5/P6), PAM (P7) and PNG streams, but the input "
                         "starts with \"hello worl\")\n")


if __name__ == "__main__":
    unittest.main()
