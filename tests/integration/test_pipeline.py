"""The core pipeline end to end: raw frames in through the real framepipe and ffmpeg, a video out.

Checks frame count, size, codec and pix_fmt with ffprobe, and that the picture survives (decoded
frame vs. the frame that was sent).
"""
import os
import shlex
import subprocess
import threading
import unittest

import fp

SIZE = "320x240"
W, H = 320, 240


class PixelFormats(fp.TempDirTest):
    """N frames in give exactly N frames out, for each common input layout."""

    def check_format(self, pix_fmt, frames=12):
        raw = fp.testsrc(frames, SIZE, pix_fmt)
        out = self.path(f"out-{pix_fmt}.mp4")
        proc = fp.run_framepipe(["-s", SIZE, "--pix-fmt", pix_fmt, "--fps", "30", out], raw)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stream, fmt = fp.ffprobe(out)
        self.assertEqual(int(stream["nb_read_frames"]), frames)
        self.assertEqual((stream["width"], stream["height"]), (W, H))
        self.assertEqual(stream["codec_name"], "h264")
        self.assertEqual(stream["pix_fmt"], "yuv420p")
        self.assertIn("mp4", fmt["format_name"])
        self.assertTrue(fp.decodes_cleanly(out))
        # The content survives: frame 5 decoded against the same frame as it was sent. Luma is
        # compared at 40 dB; the RGB comparison also pays for 4:2:0 chroma on thin coloured lines
        # (about 35.5 dB on this pattern) and is there to catch swapped or shifted channels.
        sent_luma = fp.testsrc(frames, SIZE, "gray")[5 * W * H:6 * W * H]
        self.assertGreater(fp.psnr(sent_luma, fp.decode_frame(out, 5, "gray", SIZE)), 40)
        if pix_fmt != "gray":
            sent = fp.testsrc(frames, SIZE, "rgb24")[5 * W * H * 3:6 * W * H * 3]
            self.assertGreater(fp.psnr(sent, fp.decode_frame(out, 5, "rgb24", SIZE)), 32)
        return proc

    def test_rgba(self):
        proc = self.check_format("rgba")
        self.assertIn("wrote 12 frames", proc.stderr)

    def test_argb(self):
        self.check_format("argb")

    def test_rgb24(self):
        self.check_format("rgb24")

    def test_bgr24(self):
        self.check_format("bgr24")

    def test_gray(self):
        self.check_format("gray")

    def test_wide_formats(self):
        for pix_fmt in ("bgra", "gray16le", "rgb48le", "grayf32le"):
            with self.subTest(pix_fmt=pix_fmt):
                raw = fp.testsrc(4, SIZE, pix_fmt)
                out = self.path(f"wide-{pix_fmt}.mp4")
                proc = fp.run_framepipe(["-s", SIZE, "--pix-fmt", pix_fmt, out], raw)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(int(fp.ffprobe(out)[0]["nb_read_frames"]), 4)


class Inputs(fp.TempDirTest):
    def test_fifo_input(self):
        fifo = self.path("frames.fifo")
        os.mkfifo(fifo)
        raw = fp.testsrc(10, SIZE, "rgb24")

        def writer():
            with open(fifo, "wb") as f:
                f.write(raw)

        t = threading.Thread(target=writer)
        t.start()
        proc = fp.run_framepipe(["--input", fifo, "-s", SIZE, "--pix-fmt", "rgb24", "out.webm", "-p", "vp9"])
        t.join()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stream, _ = fp.ffprobe("out.webm")
        self.assertEqual(stream["codec_name"], "vp9")
        self.assertEqual(int(stream["nb_read_frames"]), 10)

    def test_regular_file_input(self):
        with open("frames.raw", "wb") as f:
            f.write(fp.testsrc(7, SIZE, "bgr24"))
        proc = fp.run_framepipe(["-i", "frames.raw", "-s", SIZE, "--pix-fmt", "bgr24", "out.mp4"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(int(fp.ffprobe("out.mp4")[0]["nb_read_frames"]), 7)

    def test_real_shell_pipeline(self):
        cmd = (f"{shlex.quote(fp.TESTSRC)} -s {SIZE} -n 9 | "
               f"{shlex.quote(fp.FRAMEPIPE)} --size {SIZE} --pix-fmt rgba --fps 60 out.mp4")
        proc = subprocess.run(["sh", "-c", cmd], stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stream, _ = fp.ffprobe("out.mp4")
        self.assertEqual(int(stream["nb_read_frames"]), 9)
        self.assertEqual(stream["r_frame_rate"], "60/1")

    def test_fractional_frame_rate(self):
        proc = fp.run_framepipe(["-s", SIZE, "-r", "30000/1001", "out.mp4"], fp.testsrc(6, SIZE))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(fp.ffprobe("out.mp4")[0]["r_frame_rate"], "30000/1001")


class DryRun(fp.TempDirTest):
    def test_dry_run_reads_no_input_and_its_command_makes_the_same_video(self):
        # --dry-run must not touch stdin: give it a pipe that is never closed by the writer side.
        proc = subprocess.run([fp.FRAMEPIPE, "-s", SIZE, "--pix-fmt", "rgb24", "--fps", "25", "--dry-run",
                               "dry.mp4"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=10)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        command = proc.stdout.decode().strip()
        self.assertEqual(command.count("\n"), 0)
        self.assertTrue(command.startswith("ffmpeg "), command)
        self.assertFalse(os.path.exists("dry.mp4"))

        raw = fp.testsrc(8, SIZE, "rgb24")
        with open("frames.raw", "wb") as f:
            f.write(raw)
        shell = subprocess.run(["sh", "-c", f"{command} < frames.raw"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(shell.returncode, 0, shell.stderr)
        # The printed command is the one ffmpeg runs when it converts the colours itself...
        ours = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "rgb24", "--fps", "25", "--convert", "ffmpeg",
                                 "ours.mp4"], raw)
        self.assertEqual(ours.returncode, 0, ours.stderr)
        # ...and framepipe's own conversion (the default) is equivalent within its 1-level accuracy.
        converted = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "rgb24", "--fps", "25", "conv.mp4"], raw)
        self.assertEqual(converted.returncode, 0, converted.stderr)
        a, _ = fp.ffprobe("dry.mp4")
        for video in ("ours.mp4", "conv.mp4"):
            b, _ = fp.ffprobe(video)
            for key in ("codec_name", "width", "height", "pix_fmt", "nb_read_frames", "r_frame_rate",
                        "color_space", "color_range", "color_primaries", "color_transfer"):
                self.assertEqual(a.get(key), b.get(key), (video, key))
        # Same encoder, same settings, same input: the decoded pictures are identical.
        dry = fp.decode_frame("dry.mp4", 3, "rgb24", SIZE)
        self.assertEqual(dry, fp.decode_frame("ours.mp4", 3, "rgb24", SIZE))
        self.assertGreater(fp.psnr(dry, fp.decode_frame("conv.mp4", 3, "rgb24", SIZE)), 40)

    def test_dry_run_quotes_awkward_names(self):
        proc = fp.run_framepipe(["-s", SIZE, "--dry-run", "my clip's.mp4"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("'file:my clip'\\''s.mp4'", proc.stdout)

    def test_extra_args_after_double_dash(self):
        proc = fp.run_framepipe(["-s", SIZE, "--dry-run", "out.mp4", "--", "-g", "12", "-tune", "animation"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("-g 12 -tune animation -f mp4 file:out.mp4", proc.stdout)


class CommandLine(fp.TempDirTest):
    def test_help_and_version(self):
        proc = fp.run_framepipe(["--help"])
        self.assertEqual(proc.returncode, 0)
        for option in ("--size", "--pix-fmt", "--fps", "--input", "--preset", "--overwrite", "--ffmpeg",
                       "--dry-run", "--list-presets", "Examples:", "Exit status"):
            self.assertIn(option, proc.stdout)
        version = fp.run_framepipe(["--version"])
        self.assertEqual(version.returncode, 0)
        self.assertRegex(version.stdout, r"^framepipe \d+\.\d+\.\d+")

    def test_list_presets(self):
        proc = fp.run_framepipe(["--list-presets"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"(?m)^x264-crf17\s+libx264\s+\S")

    def test_bad_values_are_usage_errors_before_anything_starts(self):
        cases = [
            (["-s", "0x720", "o.mp4"], "invalid frame size '0x720'"),
            (["-s", "abc", "o.mp4"], "invalid frame size 'abc'"),
            (["-s", "-5x5", "o.mp4"], "invalid frame size '-5x5'"),
            (["-s", "65535x65535", "--pix-fmt", "rgba64le", "o.mp4"], "more than ffmpeg can read"),
            (["-s", "64x64", "--pix-fmt", "yuv9", "o.mp4"], "unknown pixel format 'yuv9': use one of rgba"),
            (["-s", "64x64", "-r", "0", "o.mp4"], "invalid frame rate '0'"),
            (["-s", "64x64", "-r", "1/0", "o.mp4"], "invalid frame rate '1/0'"),
            (["-s", "64x64", "-p", "nope", "o.mp4"], "unknown preset 'nope': known presets are "),
            (["-s", "64x64", "-p", "../x264-crf17", "o.mp4"], "invalid preset name '../x264-crf17'"),
            (["-s", "64x64", "o.xyz"], "has the unknown extension '.xyz'"),
            (["-s", "64x64"], "no output file given"),
            (["o.mp4"], "--size is required"),
            (["-s", "64x64", "--bogus", "o.mp4"], "--bogus"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                proc = fp.run_framepipe(args, b"")
                self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
                self.assertIn("framepipe: error: ", proc.stderr)
                self.assertIn(message, proc.stderr)
                self.assertFalse(os.path.exists("o.mp4"))

    def test_ffmpeg_option_and_environment(self):
        raw = fp.testsrc(3, SIZE)
        missing = fp.run_framepipe(["-s", SIZE, "--ffmpeg", "/nonexistent/ffmpeg", "o.mp4"], raw)
        self.assertEqual(missing.returncode, fp.EXIT_FFMPEG_UNUSABLE, missing.stderr)
        self.assertIn("/nonexistent/ffmpeg", missing.stderr)
        via_env = fp.run_framepipe(["-s", SIZE, "o.mp4"], raw, env={"FRAMEPIPE_FFMPEG": "/nonexistent/ff2"})
        self.assertEqual(via_env.returncode, fp.EXIT_FFMPEG_UNUSABLE, via_env.stderr)
        self.assertIn("/nonexistent/ff2", via_env.stderr)
        ok = fp.run_framepipe(["-s", SIZE, "--ffmpeg", "ffmpeg", "o.mp4"], raw,
                              env={"FRAMEPIPE_FFMPEG": "/nonexistent/ff2"})
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_ffmpeg_runs_with_framepipes_environment_and_huge_page_malloc(self):
        # ffmpeg's per-frame buffers come from glibc's huge-page malloc; a user's own choice wins.
        wrapper = os.path.abspath("ffmpeg-env")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\necho "$GLIBC_TUNABLES|$FRAMEPIPE_TEST_MARK" >> env.txt\nexec ffmpeg "$@"\n')
        os.chmod(wrapper, 0o755)
        raw = fp.testsrc(2, SIZE)
        for tunables in (None, "glibc.malloc.check=3", "glibc.malloc.hugetlb=0"):
            env = {"FRAMEPIPE_TEST_MARK": "kept"}
            if tunables:
                env["GLIBC_TUNABLES"] = tunables
            proc = fp.run_framepipe(["-y", "-s", SIZE, "--ffmpeg", wrapper, "o.mp4"], raw, env=env)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        with open("env.txt") as f:
            seen = [line for line in f.read().splitlines() if line.endswith("|kept")]
        # Each run may call the wrapper for its -encoders listing too; the encoding runs come last.
        self.assertIn("glibc.malloc.hugetlb=1|kept", seen)
        self.assertIn("glibc.malloc.check=3:glibc.malloc.hugetlb=1|kept", seen)
        self.assertEqual(seen[-1], "glibc.malloc.hugetlb=0|kept")

    def test_quiet(self):
        proc = fp.run_framepipe(["-q", "-s", SIZE, "o.mp4"], fp.testsrc(2, SIZE))
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(proc.stderr, "")

    def test_chatty_ffmpeg_does_not_hang(self):
        # -loglevel debug makes ffmpeg write megabytes to stderr; it must be drained as it comes.
        raw = fp.testsrc(40, SIZE)
        proc = fp.run_framepipe(["-s", SIZE, "o.mp4", "--", "-loglevel", "debug"], raw, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertEqual(int(fp.ffprobe("o.mp4")[0]["nb_read_frames"]), 40)


if __name__ == "__main__":
    unittest.main()
