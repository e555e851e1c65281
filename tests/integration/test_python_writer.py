"""framepipe.Writer with the real framepipe and ffmpeg: each dtype, each failure the program can
report, the program dying under it, and Ctrl-C in a Python child."""
import os
import signal
import subprocess
import sys
import time

import numpy as np

import fp
import fp_python  # noqa: F401 - makes framepipe importable
import framepipe


class Dtypes(fp.TempDirTest):

    def test_each_dtype_makes_a_video_of_its_frames(self):
        h, w, n = 48, 64, 5
        ramp = np.linspace(0, 1, w, dtype=np.float32)[None, :].repeat(h, 0)
        frames = {
            "gray": (ramp * 255).astype(np.uint8),
            "rgb24": np.dstack([(ramp * 255).astype(np.uint8)] * 3),
            "rgba": np.dstack([(ramp * 255).astype(np.uint8)] * 3 + [np.full((h, w), 255, np.uint8)]),
            "gray16le": (ramp * 65535).astype(np.uint16),
            "rgb48le": np.dstack([(ramp * 65535).astype(np.uint16)] * 3),
            "rgba64le": np.dstack([(ramp * 65535).astype(np.uint16)] * 4),
            "grayf32le": ramp,
        }
        for name, frame in frames.items():
            with self.subTest(pix_fmt=name):
                with framepipe.Writer(f"{name}.mp4", fps=25) as writer:
                    for _ in range(n):
                        writer.write(frame)
                result = writer.result
                self.assertEqual((result.frames, result.encoder), (n, "libx264"))
                self.assertEqual(result.bytes, os.path.getsize(f"{name}.mp4"))
                stream, _ = fp.ffprobe(f"{name}.mp4")
                self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])), (w, h, n))
                # The left edge is dark and the right one bright: the bytes went in as that layout.
                gray = fp.decode_frame(f"{name}.mp4", 0, "gray", f"{w}x{h}")
                self.assertLess(gray[h // 2 * w + 2], 40, name)
                self.assertGreater(gray[h // 2 * w + w - 3], 200, name)

    def test_an_odd_size_is_padded_by_the_program(self):
        with framepipe.Writer("odd.mp4") as writer:
            writer.write(np.zeros((241, 321, 3), np.uint8))
        stream, _ = fp.ffprobe("odd.mp4")
        self.assertEqual((stream["width"], stream["height"]), (322, 242))

    def test_stats_and_report_come_back(self):
        recs = []
        with framepipe.Writer("s.mp4", fps=10, progress=recs.append, frames=3) as writer:
            for _ in range(3):
                writer.write(np.zeros((32, 32, 3), np.uint8))
        self.assertEqual(writer.result.stats["exit_reason"], "ok")
        self.assertEqual(writer.result.stats["frame_rate"], "10")
        self.assertTrue(writer.result.report.startswith("framepipe: wrote 3 frames (0.30 s at 10 fps) to s.mp4"))
        self.assertEqual(recs[-1]["event"], "end")
        self.assertEqual(recs[-1]["expected_frames"], 3)


class Failures(fp.TempDirTest):

    def fails(self, cls, *args, frames=2, **kw):
        with self.assertRaises(cls) as caught:
            with framepipe.Writer(*args, **kw) as writer:
                for _ in range(frames):
                    writer.write(np.zeros((32, 32, 3), np.uint8))
        error = caught.exception
        self.assertTrue(str(error).startswith("framepipe: error: "), str(error))
        return error

    def test_usage(self):
        error = self.fails(framepipe.UsageError, "a.mp4", preset="nope")
        self.assertEqual(error.exit_status, 2)
        self.assertIn("unknown preset 'nope'", str(error))

    def test_output_exists_and_overwrite(self):
        with open("a.mp4", "wb") as f:
            f.write(b"old")
        self.fails(framepipe.OutputExistsError, "a.mp4")
        with open("a.mp4", "rb") as f:
            self.assertEqual(f.read(), b"old")
        with framepipe.Writer("a.mp4", overwrite=True) as writer:
            writer.write(np.zeros((32, 32, 3), np.uint8))
        self.assertEqual(fp.frames_in("a.mp4"), 1)

    def test_output_directory_missing(self):
        error = self.fails(framepipe.OutputError, "missing/a.mp4")
        self.assertEqual(str(error), "framepipe: error: cannot write 'missing/a.mp4': the directory 'missing' "
                                     "does not exist")

    def test_ffmpeg_failure_shows_ffmpegs_words(self):
        error = self.fails(framepipe.FfmpegFailedError, "a.mp4", extra_args=["-bogus", "1"], frames=30)
        self.assertEqual(error.exit_status, 5)
        self.assertIn("Unrecognized option 'bogus'", str(error))
        self.assertEqual(error.stats["exit_reason"], "ffmpeg_failed")
        self.assertFalse(os.path.exists("a.mp4"))

    def test_ffmpeg_missing(self):
        error = self.fails(framepipe.FfmpegUnusableError, "a.mp4", ffmpeg="/nonexistent/ffmpeg")
        self.assertIn("cannot find ffmpeg ('/nonexistent/ffmpeg')", str(error))

    def test_encoder_unavailable(self):
        error = self.fails(framepipe.EncoderUnavailableError, "a.mp4", preset="nvenc-8M", no_fallback=True)
        self.assertEqual(error.exit_status, 7)

    def test_invalid_preset_file(self):
        with open("bad.json", "w") as f:
            f.write("{")
        error = self.fails(framepipe.PresetError, "a.mp4", preset_file="bad.json")
        self.assertIn("bad.json:1:2: invalid JSON", str(error))

    def test_a_dying_program_raises_at_once_and_is_reaped(self):
        frame = np.zeros((720, 1280, 4), np.uint8)
        writer = framepipe.Writer("a.mp4")
        writer.write(frame)
        pid = writer.pid
        os.kill(pid, signal.SIGKILL)
        start = time.monotonic()
        with self.assertRaises(framepipe.InterruptedBySignal) as caught:
            for _ in range(100):
                writer.write(frame)
        self.assertLess(time.monotonic() - start, 30)
        self.assertEqual(caught.exception.exit_status, -signal.SIGKILL)
        self.assertFalse(fp_python.exists(pid))


CHILD = r"""
import sys, numpy as np, framepipe
frame = np.zeros((360, 640, 3), np.uint8)
with framepipe.Writer(sys.argv[1]) as writer:
    n = 0
    while True:
        frame[:] = n % 256
        writer.write(frame)
        n += 1
        print(writer.pid, n, flush=True)
"""


class CtrlC(fp.TempDirTest):

    def test_sigint_finishes_the_video_with_the_frames_so_far(self):
        child = subprocess.Popen([sys.executable, "-c", CHILD, "out.mp4"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=fp_python.child_env(), text=True)
        lines = []
        while len(lines) < 20:
            line = child.stdout.readline()
            self.assertTrue(line, child.stderr.read() if child.poll() is not None else "no output")
            lines.append(line.split())
        child.send_signal(signal.SIGINT)
        # Not communicate(): it reads the raw pipes and would miss lines readline() had already
        # buffered. The child's stderr is one traceback, far below a pipe's capacity.
        child.wait(timeout=120)
        rest, stderr = child.stdout.read(), child.stderr.read()
        lines += [line.split() for line in rest.splitlines()]
        self.assertIn("KeyboardInterrupt", stderr)
        self.assertNotIn("FramepipeError", stderr)
        pid, written = int(lines[-1][0]), int(lines[-1][1])
        self.assertFalse(fp_python.exists(pid), "framepipe was left behind")
        # The frame being written when SIGINT came is completed, so it counts whether or not its
        # print came first.
        self.assertIn(fp.frames_in("out.mp4"), (written, written + 1))
        self.assertTrue(fp.decodes_cleanly("out.mp4"))


if __name__ == "__main__":
    import unittest
    unittest.main()
