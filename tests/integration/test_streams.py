"""Self-describing streams from real producers (ffmpeg, netpbm, matplotlib) on framepipe's stdin
without --size: N frames in, N out, content intact (PSNR against the producer's own output,
measured by ffmpeg's psnr filter), sizes and colour tags right; and the errors a broken stream
gets, with their exact messages.
"""
import os
import re
import subprocess
import unittest

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
