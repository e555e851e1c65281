"""Progress and statistics against real runs: the numbers framepipe reports (--progress json,
--stats-json, the final line) must match what was sent and what landed on disk, and the status
line must leave a real terminal clean.
"""
import fcntl
import json
import os
import signal
import struct
import subprocess
import termios
import threading
import time
import unittest

from fp import (EXIT_FFMPEG_FAILED, EXIT_INPUT, EXIT_OK, EXIT_USAGE, FRAMEPIPE, TempDirTest, frames_in, json_lines,
                run_framepipe, testsrc)

SIZE = "160x120"
FRAME_BYTES = 160 * 120 * 4


def feed_slowly(proc, data, seconds):
    """Writes `data` to proc.stdin in frame-sized pieces spread over `seconds`, then closes it."""
    frames = [data[i:i + FRAME_BYTES] for i in range(0, len(data), FRAME_BYTES)]
    pause = seconds / max(len(frames), 1)
    try:
        for f in frames:
            proc.stdin.write(f)
            proc.stdin.flush()
            time.sleep(pause)
    except BrokenPipeError:
        pass  # framepipe stopped reading: the test looks at why
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass


def screen(transcript):
    """What a terminal shows after `transcript`: carriage returns overwrite, newlines advance."""
    lines, col = [[]], 0
    for ch in transcript:
        if ch == "\r":
            col = 0
        elif ch == "\n":
            lines.append([])
            col = 0
        else:
            line = lines[-1]
            line.extend(" " * (col - len(line) + 1) if col >= len(line) else "")
            line[col] = ch
            col += 1
    return ["".join(line).rstrip() for line in lines]


class StatsTest(TempDirTest):
    def stats(self, name="stats.json"):
        with open(self.path(name)) as f:
            return json.load(f)

    def test_stats_match_the_run_and_the_file(self):
        proc = run_framepipe(["-s", SIZE, "--stats-json", "stats.json", "out.mp4"], testsrc(24, SIZE))
        self.assertEqual(proc.returncode, EXIT_OK, proc.stderr)
        s = self.stats()
        self.assertEqual(s["exit_reason"], "ok")
        self.assertEqual(s["exit_status"], 0)
        self.assertEqual(s["frames_read"], 24)
        self.assertEqual(s["frames_encoded"], 24)
        self.assertEqual(s["bytes_read"], 24 * FRAME_BYTES)
        self.assertEqual(s["frame_bytes"], FRAME_BYTES)
        self.assertEqual(s["partial_frame_bytes"], 0)
        self.assertTrue(s["output_written"])
        self.assertEqual(s["output_bytes"], os.path.getsize(self.path("out.mp4")))
        self.assertEqual(s["output"], "out.mp4")
        self.assertAlmostEqual(s["video_seconds"], 24 / 30)
        self.assertEqual(s["ffmpeg_exit_status"], 0)
        self.assertIsNone(s["ffmpeg_signal"])
        self.assertEqual(s["encoder"], "libx264")
        self.assertFalse(s["fallback_used"])
        self.assertIsNone(s["fallback_from"])
        self.assertIn(s["bottleneck"], ("producer-bound", "encoder-bound"))
        self.assertGreater(s["wall_seconds"], 0)
        self.assertLessEqual(s["seconds_blocked_on_read"] + s["seconds_blocked_on_write"], s["wall_seconds"])
        self.assertAlmostEqual(s["bitrate_bps"], s["output_bytes"] * 8 / s["video_seconds"], delta=1)
        # The final line tells the same story.
        line = [l for l in proc.stderr.splitlines() if "wrote" in l][-1]
        self.assertIn("wrote 24 frames (0.80 s at 30 fps) to out.mp4", line)
        self.assertIn("by libx264 (preset ", line)
        self.assertIn(s["bottleneck"], line)

    def test_a_partial_last_frame_is_counted(self):
        data = testsrc(10, SIZE, extra=["--partial-bytes", "1000"])
        proc = run_framepipe(["-s", SIZE, "--stats-json", "stats.json", "out.mp4"], data)
        self.assertEqual(proc.returncode, EXIT_INPUT, proc.stderr)
        s = self.stats()
        self.assertEqual(s["exit_reason"], "partial_frame")
        self.assertEqual(s["exit_status"], EXIT_INPUT)
        self.assertEqual(s["partial_frame_bytes"], 1000)
        self.assertEqual(s["bytes_read"], 10 * FRAME_BYTES + 1000)
        self.assertEqual(s["frames_read"], 10)
        self.assertEqual(s["frames_encoded"], 10)
        self.assertTrue(s["output_written"])
        self.assertEqual(s["output_bytes"], os.path.getsize(self.path("out.mp4")))

    def test_stats_are_written_when_ffmpeg_fails(self):
        proc = run_framepipe(["-s", SIZE, "--stats-json", "stats.json", "out.mp4", "--", "-preset", "nosuch"],
                             testsrc(10, SIZE))
        self.assertEqual(proc.returncode, EXIT_FFMPEG_FAILED, proc.stderr)
        s = self.stats()
        self.assertEqual(s["exit_reason"], "ffmpeg_failed")
        # ffmpeg 5.1 exits 1 on a bad option value; 7.1 with the error code, -EINVAL & 0xff.
        self.assertIn(s["ffmpeg_exit_status"], (1, 234))
        self.assertFalse(s["output_written"])
        self.assertIsNone(s["output_bytes"])
        # ffmpeg 7.1 still writes a last progress block (frame=0) when its encoder fails; 5.1 none.
        self.assertIn(s["frames_encoded"], (None, 0))
        self.assertIsNone(s["encode_fps"])
        self.assertFalse(os.path.exists(self.path("out.mp4")))

    def test_a_name_that_is_not_utf8(self):
        # Python hands the undecodable byte 0xe9 back to the file system as it was.
        name = os.fsdecode(b"caf\xe9.mp4")
        proc = run_framepipe(["-s", SIZE, "--stats-json", "stats.json", name], testsrc(5, SIZE))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        s = self.stats()
        self.assertEqual(s["exit_reason"], "ok")
        self.assertEqual(s["output"], "caf\ufffd.mp4")
        self.assertEqual(s["output_bytes"], os.path.getsize(self.path(name)))
        self.assertEqual(frames_in(self.path(name)), 5)

    def test_stats_are_written_when_no_input_arrives(self):
        proc = run_framepipe(["-s", SIZE, "--stats-json", "stats.json", "out.mp4"], b"")
        self.assertEqual(proc.returncode, EXIT_INPUT, proc.stderr)
        s = self.stats()
        self.assertEqual(s["exit_reason"], "no_input")
        self.assertEqual(s["bytes_read"], 0)

    def test_stats_of_an_interrupted_run(self):
        env = dict(os.environ)
        env.pop("FRAMEPIPE_FFMPEG", None)
        with open(self.path("stderr"), "w+") as err:
            proc = subprocess.Popen([FRAMEPIPE, "-s", SIZE, "--stats-json", "stats.json", "out.mp4"],
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err, env=env)
            feeder = threading.Thread(target=feed_slowly, args=(proc, testsrc(300, SIZE), 10))
            feeder.start()
            time.sleep(1.0)
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=60)
            feeder.join(timeout=20)
            err.seek(0)
            self.assertEqual(code, 128 + signal.SIGINT, err.read())
        s = self.stats()
        self.assertEqual(s["exit_reason"], "interrupted")
        self.assertEqual(s["interrupted_by"], "SIGINT")
        self.assertGreater(s["frames_read"], 0)
        self.assertEqual(s["frames_encoded"], s["frames_read"])
        self.assertTrue(s["output_written"])
        self.assertEqual(s["output_bytes"], os.path.getsize(self.path("out.mp4")))

    def test_an_unwritable_stats_file_fails_a_good_run(self):
        proc = run_framepipe(["-s", SIZE, "--stats-json", "no/such/dir/stats.json", "out.mp4"], testsrc(3, SIZE))
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertIn("cannot write --stats-json", proc.stderr)
        self.assertTrue(os.path.exists(self.path("out.mp4")))


class JsonProgressTest(TempDirTest):
    def run_slowly(self, args, frames, seconds, pass_fds=()):
        env = dict(os.environ)
        env.pop("FRAMEPIPE_FFMPEG", None)
        with open(self.path("stdout"), "w+b") as out, open(self.path("stderr"), "w+b") as err:
            proc = subprocess.Popen([FRAMEPIPE, *args], stdin=subprocess.PIPE, stdout=out, stderr=err, env=env,
                                    pass_fds=pass_fds)
            feed_slowly(proc, testsrc(frames, SIZE), seconds)
            code = proc.wait(timeout=60)
            out.seek(0)
            err.seek(0)
            return code, out.read().decode(), err.read().decode()

    def test_json_records_on_stderr_add_up(self):
        code, out, err = self.run_slowly(["-s", SIZE, "--progress", "json", "--frames", "40", "out.mp4"], 40, 2.2)
        self.assertEqual(code, EXIT_OK, err)
        self.assertEqual(out, "")
        # Every stderr line is either a json record or one of framepipe's own lines.
        for line in err.splitlines():
            self.assertTrue(line.startswith("{") or line.startswith("framepipe: "), line)
        records = json_lines(err)
        progress = [r for r in records if r["event"] == "progress"]
        self.assertGreaterEqual(len(progress), 1, err)
        self.assertLessEqual(len(progress), 4, err)  # about one a second
        end = records[-1]
        self.assertEqual(end["event"], "end")
        self.assertEqual(end["frames_read"], 40)
        self.assertEqual(end["frames_encoded"], 40)
        self.assertEqual(end["bytes_read"], 40 * FRAME_BYTES)
        self.assertEqual(end["expected_frames"], 40)
        self.assertEqual(end["percent"], 100.0)
        for r in progress:
            self.assertLessEqual(r["frames_read"], 40)
            self.assertGreater(r["elapsed_s"], 0)
        frames = [r["frames_read"] for r in records]
        self.assertEqual(frames, sorted(frames))

    def test_progress_fd_keeps_stderr_for_people(self):
        fd = os.open(self.path("progress.jsonl"), os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            code, _, err = self.run_slowly(["-s", SIZE, "--progress-fd", str(fd), "--stats-json", "stats.json",
                                            "out.mp4"], 30, 1.5, pass_fds=(fd,))
        finally:
            os.close(fd)
        self.assertEqual(code, EXIT_OK, err)
        self.assertNotIn("{", err)
        with open(self.path("progress.jsonl")) as f:
            records = json_lines(f.read())
        self.assertEqual(records[-1]["event"], "end")
        self.assertEqual(records[-1]["frames_encoded"], 30)
        with open(self.path("stats.json")) as f:
            self.assertEqual(json.load(f)["frames_encoded"], 30)

    def test_bad_progress_fd_is_a_usage_error(self):
        proc = run_framepipe(["-s", SIZE, "--progress-fd", "97", "out.mp4"], b"")
        self.assertEqual(proc.returncode, EXIT_USAGE)
        self.assertIn("--progress-fd 97 is not open for writing", proc.stderr)
        proc = run_framepipe(["-s", SIZE, "--progress", "bar", "--progress-fd", "2", "out.mp4"], b"")
        self.assertEqual(proc.returncode, EXIT_USAGE)
        proc = run_framepipe(["-s", SIZE, "--progress", "sometimes", "out.mp4"], b"")
        self.assertEqual(proc.returncode, EXIT_USAGE)

    def test_quiet_prints_nothing_on_success(self):
        proc = run_framepipe(["-q", "-s", SIZE, "out.mp4"], testsrc(5, SIZE))
        self.assertEqual(proc.returncode, EXIT_OK, proc.stderr)
        self.assertEqual(proc.stderr, "")


class TerminalTest(TempDirTest):
    """framepipe with its stderr on a real pseudo-terminal, as a user at a shell sees it."""

    def run_on_pty(self, args, frames, seconds, columns=100):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        env = dict(os.environ)
        env.pop("FRAMEPIPE_FFMPEG", None)
        env.pop("COLUMNS", None)
        proc = subprocess.Popen([FRAMEPIPE, *args], stdin=subprocess.PIPE, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        chunks = []

        def read_all():
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: every writer to the terminal is gone
                    return
                if not data:
                    return
                chunks.append(data)

        reader = threading.Thread(target=read_all)
        reader.start()
        feed_slowly(proc, testsrc(frames, SIZE), seconds)
        code = proc.wait(timeout=60)
        reader.join(timeout=10)
        os.close(master)
        return code, b"".join(chunks).decode(errors="replace")

    def test_the_bar_appears_and_the_last_line_is_clean(self):
        code, transcript = self.run_on_pty(["-s", SIZE, "--frames", "30", "out.mp4"], 30, 1.2)
        self.assertEqual(code, EXIT_OK, transcript)
        self.assertRegex(transcript, r"\[[#-]{10,}\] +\d+%")
        self.assertIn("/30", transcript)
        self.assertIn("ETA", transcript)
        shown = [l for l in screen(transcript) if l]
        self.assertEqual(len(shown), 1, shown)
        self.assertTrue(shown[0].startswith("framepipe: wrote 30 frames"), shown)
        self.assertNotIn("ETA", shown[0])
        self.assertTrue(transcript.endswith("\n"), repr(transcript[-80:]))
        # Never wider than the terminal, or it would wrap and leave a line behind.
        for draw in transcript.split("\r"):
            if "ETA" in draw:
                self.assertLessEqual(len(draw), 99)

    def test_an_error_starts_on_a_clean_line(self):
        code, transcript = self.run_on_pty(["-s", SIZE, "--frames", "30", "out.mp4", "--", "-preset", "nosuch"],
                                           30, 1.0)
        self.assertEqual(code, EXIT_FFMPEG_FAILED, transcript)
        shown = [l for l in screen(transcript) if l]
        self.assertTrue(shown[0].startswith("framepipe: error: ffmpeg failed"), shown)
        self.assertFalse(any("ETA" in l for l in shown), shown)

    def test_no_bar_without_a_terminal_or_when_quiet(self):
        code, transcript = self.run_on_pty(["-q", "-s", SIZE, "--frames", "10", "out.mp4"], 10, 0.5)
        self.assertEqual(code, EXIT_OK, transcript)
        self.assertEqual(transcript, "")
        proc = run_framepipe(["-s", SIZE, "--frames", "10", "out2.mp4"], testsrc(10, SIZE))
        self.assertNotIn("ETA", proc.stderr)
        self.assertNotIn("\r", proc.stderr)


if __name__ == "__main__":
    unittest.main()
