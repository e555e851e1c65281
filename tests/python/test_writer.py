"""framepipe.Writer against a fake framepipe program (fake_framepipe.py): what it sends, how it
reports each way the program can fail, and that it never leaves a process behind."""
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import unittest
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import framepipe  # noqa: E402
from framepipe import _cli  # noqa: E402

FAKE = os.path.join(HERE, "fake_framepipe.py")


def exists(pid):
    """True while `pid` exists, zombie or not."""
    return os.path.exists(f"/proc/{pid}")


class FakeTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="framepipe-py-unit-")
        self.argv_file = os.path.join(self.dir, "argv.json")
        self.env = {"FAKE_ARGV": self.argv_file}
        self._saved_env = dict(os.environ)
        for key in [k for k in os.environ if k.startswith("FAKE_")] + ["FRAMEPIPE"]:
            os.environ.pop(key, None)

    def tearDown(self):
        os.environ.clear()
        os.environ.update(self._saved_env)
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name="out.mp4"):
        return os.path.join(self.dir, name)

    def writer(self, name="out.mp4", env=None, **kw):
        os.environ.update(self.env)
        os.environ.update(env or {})
        return framepipe.Writer(self.path(name), executable=FAKE, **kw)

    def argv(self):
        with open(self.argv_file) as f:
            return json.load(f)

    def output(self, name="out.mp4"):
        with open(self.path(name), "rb") as f:
            return f.read()


class Frames(FakeTest):

    def check_layout(self, frame, pix_fmt, size):
        with self.writer() as w:
            w.write(frame)
            w.write(frame)
        argv = self.argv()["argv"]
        self.assertEqual(argv[argv.index("--pix-fmt") + 1], pix_fmt)
        self.assertEqual(argv[argv.index("--size") + 1], size)
        return self.output()

    def test_each_dtype_and_shape_picks_its_pixel_format(self):
        cases = [(np.uint8, (), "gray"), (np.uint8, (3,), "rgb24"), (np.uint8, (4,), "rgba"),
                 (np.uint16, (), "gray16le"), (np.uint16, (3,), "rgb48le"), (np.uint16, (4,), "rgba64le"),
                 (np.float32, (), "grayf32le")]
        for dtype, channels, pix_fmt in cases:
            with self.subTest(pix_fmt=pix_fmt):
                frame = (np.arange(5 * 7 * int(np.prod(channels)), dtype=np.uint32) % 200).astype(dtype)
                frame = frame.reshape((5, 7, *channels))
                os.remove(self.path()) if os.path.exists(self.path()) else None
                self.assertEqual(self.check_layout(frame, pix_fmt, "7x5"), frame.tobytes() * 2)

    def test_non_contiguous_and_big_endian_arrays_are_sent_as_their_pixels(self):
        base = np.arange(8 * 10 * 3, dtype=np.uint8).reshape(8, 10, 3)
        view = base[:, ::2]  # every other column: not contiguous
        self.assertEqual(self.check_layout(view, "rgb24", "5x8"), np.ascontiguousarray(view).tobytes() * 2)
        os.remove(self.path())
        big = np.arange(12, dtype=">u2").reshape(3, 4) * 257
        self.assertEqual(self.check_layout(big, "gray16le", "4x3"), big.astype("<u2").tobytes() * 2)

    def test_pix_fmt_names_another_layout_of_the_same_bytes(self):
        frame = np.zeros((4, 6, 3), np.uint8)
        with self.writer(pix_fmt="bgr24") as w:
            w.write(frame)
        self.assertIn("bgr24", self.argv()["argv"])
        with self.assertRaisesRegex(ValueError, "'rgba' has 4 bytes a pixel, but a uint8 array of shape "
                                                r"\(4, 6, 3\) has 3"):
            self.writer("b.mp4", pix_fmt="rgba").write(frame)

    def test_bytes_need_size_and_pix_fmt(self):
        with self.writer(size=(4, 2), pix_fmt="gray") as w:
            w.write(b"abcdefgh")
            w.write(memoryview(bytearray(b"ABCDEFGH")))
        self.assertEqual(self.output(), b"abcdefghABCDEFGH")
        self.assertIn("4x2", self.argv()["argv"])
        with self.assertRaisesRegex(ValueError, "needs size= and pix_fmt="):
            self.writer("b.mp4").write(b"abcd")
        with self.assertRaisesRegex(ValueError, "frame has 3 bytes, but 4x2 gray frames of 8 bytes were announced"):
            self.writer("c.mp4", size="4x2", pix_fmt="gray").write(b"abc")

    def test_unsupported_arrays_are_refused_with_what_is_supported(self):
        for frame in (np.zeros((4, 4), np.float64), np.zeros((4, 4, 2), np.uint8), np.zeros(16, np.uint8)):
            with self.subTest(frame=frame.shape), self.assertRaisesRegex(ValueError, "uint8 HxW"):
                self.writer().write(frame)
        with self.assertRaisesRegex(ValueError, "unknown pix_fmt 'yuv420p'"):
            self.writer(size=(2, 2), pix_fmt="yuv420p")
        with self.assertRaisesRegex(TypeError, "numpy array or bytes-like, not list"):
            self.writer().write([[0]])

    def test_a_frame_of_another_shape_or_dtype_is_refused_naming_both_and_the_video_is_finished(self):
        first = np.full((4, 6, 3), 7, np.uint8)
        for other, text in ((np.zeros((4, 8, 3), np.uint8), r"uint8 array of shape \(4, 8, 3\)"),
                            (np.zeros((4, 6, 3), np.uint16), r"uint16 array of shape \(4, 6, 3\)")):
            with self.subTest(text=text):
                if os.path.exists(self.path()):
                    os.remove(self.path())
                with self.assertRaisesRegex(ValueError, text + r", but the first frame was a uint8 array of "
                                                               r"shape \(4, 6, 3\)"):
                    with self.writer() as w:
                        w.write(first)
                        w.write(other)
                self.assertEqual(self.output(), first.tobytes())
                self.assertEqual(w.result.frames, 1)


class Command(FakeTest):

    def test_options_become_the_programs_flags(self):
        with self.writer(fps=29.97, preset="vp9", overwrite=True, crash_safe=True, frames=300,
                         no_fallback=True, verbose=False, extra_args=["-crf", 20]) as w:
            w.write(np.zeros((2, 2), np.uint8))
        argv = self.argv()["argv"]
        self.assertEqual(argv[argv.index("--fps") + 1], "2997/100")
        for expected in (["--preset", "vp9"], ["--overwrite"], ["--crash-safe"], ["--frames", "300"],
                         ["--no-fallback"], ["--", "-crf", "20"], ["--output", self.path()]):
            text = " ".join(argv)
            self.assertIn(" ".join(expected), text)
        self.assertNotIn("--verbose", argv)
        self.assertEqual(argv[-3:], ["--", "-crf", "20"])

    def test_frame_rates_are_passed_exactly(self):
        from fractions import Fraction
        self.assertEqual(_cli.fps_text(30), "30")
        self.assertEqual(_cli.fps_text(60.0), "60")
        self.assertEqual(_cli.fps_text(1000 / 33), "1000/33")  # matplotlib's 33 ms interval
        self.assertEqual(_cli.fps_text(Fraction(30000, 1001)), "30000/1001")
        self.assertEqual(_cli.fps_text("24000/1001"), "24000/1001")

    def test_options_the_writer_sets_itself_are_refused(self):
        with self.assertRaisesRegex(TypeError, "sets stats_json= itself"):
            self.writer(stats_json="x.json")
        with self.assertRaisesRegex(ValueError, "progress='yes'"):
            self.writer(progress="yes")

    def test_the_program_runs_in_a_process_group_of_its_own_in_our_session(self):
        with self.writer() as w:
            w.write(np.zeros((2, 2), np.uint8))
        seen = self.argv()
        self.assertNotEqual(seen["pgid"], seen["parent_pgid"])
        self.assertEqual(seen["sid"], seen["parent_sid"])


class Lookup(FakeTest):

    def test_executable_then_environment_then_path(self):
        bindir = os.path.join(self.dir, "bin")
        os.makedirs(bindir)
        on_path = os.path.join(bindir, "framepipe")
        shutil.copy(FAKE, on_path)
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
        self.assertEqual(_cli.find_executable(), on_path)
        os.environ["FRAMEPIPE"] = FAKE
        self.assertEqual(_cli.find_executable(), FAKE)
        self.assertEqual(_cli.find_executable(on_path), on_path)

    def test_a_missing_program_says_how_to_install_it(self):
        os.environ["PATH"] = self.dir
        with self.assertRaisesRegex(framepipe.ExecutableNotFoundError,
                                    "the framepipe program is not on PATH: install framepipe"):
            framepipe.Writer(self.path())
        with self.assertRaisesRegex(framepipe.ExecutableNotFoundError,
                                    "executable= names '/nowhere/framepipe', which is not an executable"):
            framepipe.Writer(self.path(), executable="/nowhere/framepipe")
        os.environ["FRAMEPIPE"] = "/nowhere/else"
        with self.assertRaisesRegex(framepipe.ExecutableNotFoundError, r"\$FRAMEPIPE names '/nowhere/else'"):
            framepipe.Writer(self.path())


class Failures(FakeTest):

    def fail_with(self, status, after=0, frames=3, **env):
        env = {"FAKE_EXIT": str(status), "FAKE_AFTER": str(after), **env}
        # Frames bigger than a pipe's buffer, so the writes see the program gone.
        frame = np.zeros((512, 1024, 4), np.uint8)
        with self.assertRaises(framepipe.FramepipeError) as caught:
            with self.writer(env=env) as w:
                for _ in range(frames):
                    w.write(frame)
        return caught.exception

    def test_each_exit_status_raises_its_class_with_the_programs_message(self):
        classes = {2: framepipe.UsageError, 3: framepipe.InputError, 4: framepipe.OutputError,
                   5: framepipe.FfmpegFailedError, 6: framepipe.FfmpegUnusableError,
                   7: framepipe.EncoderUnavailableError, 8: framepipe.PresetError, 1: framepipe.InternalError,
                   130: framepipe.InterruptedBySignal}
        for status, cls in classes.items():
            with self.subTest(status=status):
                message = f"framepipe: error: failure {status}\n  ffmpeg said:\n    something"
                error = self.fail_with(status, FAKE_MESSAGE=message)
                self.assertIs(type(error), cls)
                self.assertEqual(error.exit_status, status)
                self.assertEqual(str(error), message)
                self.assertEqual(error.stats["exit_status"], status)
                self.assertTrue(error.__context__ is None or error.__suppress_context__)

    def test_a_failure_after_some_frames_is_reported_when_it_happens_not_as_a_broken_pipe(self):
        error = self.fail_with(5, after=3 << 20, frames=50, FAKE_MESSAGE="framepipe: error: ffmpeg failed")
        self.assertIsInstance(error, framepipe.FfmpegFailedError)
        self.assertIsNone(error.__cause__)
        self.assertTrue(error.__suppress_context__)

    def test_an_existing_output_is_refused_before_the_program_starts(self):
        with open(self.path(), "wb") as f:
            f.write(b"old")
        with self.assertRaisesRegex(framepipe.OutputExistsError, "already exists: pass overwrite=True"):
            self.writer()
        self.assertFalse(os.path.exists(self.argv_file))
        self.assertEqual(self.output(), b"old")

    def test_the_program_killed_by_a_signal(self):
        frame = np.zeros((512, 1024, 4), np.uint8)
        with self.assertRaises(framepipe.InterruptedBySignal) as caught:
            with self.writer(env={"FAKE_KILL_SELF": str(1 << 20)}) as w:
                for _ in range(20):
                    w.write(frame)
        self.assertEqual(caught.exception.exit_status, -signal.SIGKILL)
        self.assertIn("was killed by signal 9", str(caught.exception))

    def test_closing_without_a_frame_says_so(self):
        w = self.writer()
        with self.assertRaisesRegex(framepipe.InputError, "no frame was written"):
            w.close()
        with self.assertRaisesRegex(ValueError, "write\\(\\) on a closed framepipe.Writer"):
            w.write(np.zeros((2, 2), np.uint8))

    def test_a_flood_on_stderr_never_blocks(self):
        done = threading.Event()

        def run():
            with self.writer(env={"FAKE_FLOOD": str(4 << 20)}) as w:
                for _ in range(4):
                    w.write(np.zeros((256, 256, 4), np.uint8))
            done.set()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(30)
        self.assertTrue(done.is_set(), "the Writer hung on a full stderr pipe")


class Results(FakeTest):

    def test_close_returns_the_stats(self):
        with self.writer(preset="x") as w:
            for _ in range(3):
                w.write(np.zeros((2, 3, 4), np.uint8))
        r = w.result
        self.assertEqual((r.path, r.frames, r.frames_written, r.bytes, r.encoder, r.preset),
                         (self.path(), 3, 3, 72, "fake264", "x"))
        self.assertEqual(r.report, f"framepipe: wrote 3 frames to {self.path()}")
        self.assertEqual(r.stats["exit_reason"], "ok")
        self.assertIs(w.close(), r)

    def test_warnings_of_the_program_become_python_warnings(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with self.writer(env={"FAKE_WARN": "fell back to x264"}) as w:
                w.write(np.zeros((2, 2), np.uint8))
        self.assertEqual([str(c.message) for c in caught if c.category is framepipe.FramepipeWarning],
                         ["framepipe: warning: fell back to x264"])

    def test_progress_records_reach_the_callable_in_the_callers_thread(self):
        records, threads = [], set()

        def progress(record):
            records.append(record)
            threads.add(threading.get_ident())

        with self.writer(progress=progress) as w:
            for _ in range(5):
                w.write(np.zeros((256, 256, 4), np.uint8))
        self.assertEqual(threads, {threading.get_ident()})
        self.assertEqual(records[-1], {"event": "end", "frames_read": 5})
        self.assertIn("--progress-fd", self.argv()["argv"])

    def test_bar_asks_for_the_programs_bar_at_the_terminals_width(self):
        with self.writer(progress="bar") as w:
            w.write(np.zeros((2, 2), np.uint8))
        seen = self.argv()
        self.assertEqual(seen["argv"][seen["argv"].index("--progress") + 1], "bar")
        self.assertEqual(seen["env_columns"], str(shutil.get_terminal_size().columns))


class Interrupts(FakeTest):

    def test_ctrl_c_in_the_block_finishes_the_video_and_goes_on(self):
        frame = np.full((2, 2), 9, np.uint8)
        with self.assertRaises(KeyboardInterrupt):
            with self.writer() as w:
                w.write(frame)
                w.write(frame)
                raise KeyboardInterrupt
        self.assertEqual(self.output(), frame.tobytes() * 2)
        self.assertEqual(w.result.frames, 2)

    def test_ctrl_c_in_the_middle_of_a_frame_still_sends_the_whole_frame(self):
        frame = np.full((1024, 1024, 4), 3, np.uint8)  # 4 MB: many pipe-fulls
        with self.writer(env={"FAKE_SLOW": "0.01"}) as w:
            w.write(frame)
            # SIGINT to ourselves a little later, while the next write waits on the slow reader.
            timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
            timer.start()
            with self.assertRaises(KeyboardInterrupt):
                w.write(frame)
            timer.join()
        self.assertEqual(len(self.output()), 2 * frame.nbytes)
        self.assertEqual((w.frames_written, w.result.frames), (2, 2))

    def test_an_abandoned_writer_leaves_no_process(self):
        w = self.writer()
        w.write(np.zeros((2, 2), np.uint8))
        pid = w._process.pid
        del w
        import gc
        gc.collect()
        self.assertFalse(exists(pid), "the program was not reaped")


if __name__ == "__main__":
    unittest.main()
