"""A regular file as the input (`--input FILE`, or stdin redirected from one): ffmpeg reads it
itself, through the file framepipe opened, and framepipe follows it by the file offset the two
share (issue 7: no relay hop, no relay CPU). Everything a pipe gets must hold here too: every
frame, the partial-frame check, Ctrl-C keeping what was read, ffmpeg stopping early.
"""
import json
import os
import signal
import subprocess
import time
import unittest

import fp

SIZE = "160x120"
FRAME = 160 * 120 * 4  # rgba


def write_frames(name, frames, extra=b"", fps="60"):
    with open(name, "wb") as f:
        f.write(fp.testsrc(frames, SIZE, fps=fps) + extra)


class FileInput(fp.TempDirTest):
    def test_ffmpeg_reads_the_file_itself_and_gets_every_frame(self):
        write_frames("frames.raw", 60)
        # `-vf realtime` paces ffmpeg to 60 fps, so it is still running when it is looked at.
        # --convert ffmpeg: the file is handed over when framepipe has nothing to do on the frames.
        p = fp.start_framepipe(["--input", "frames.raw", "-s", SIZE, "-r", "60", "--convert", "ffmpeg",
                                "--stats-json", "stats.json", "out.mp4", "--", "-vf", "realtime"])
        ff = fp.ffmpeg_child_of(p.pid)
        self.assertEqual(os.readlink(f"/proc/{ff}/fd/0"), os.path.realpath("frames.raw"),
                         "ffmpeg's stdin is not the input file")
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(fp.frames_in("out.mp4"), 60)
        with open("stats.json") as f:
            stats = json.load(f)
        self.assertEqual(stats["frames_read"], 60)
        self.assertEqual(stats["bytes_read"], 60 * FRAME)
        self.assertEqual(stats["exit_reason"], "ok")
        self.assertIn(b"wrote 60 frames", err)

    def test_stdin_redirected_from_a_file_starts_where_stdin_stands(self):
        write_frames("frames.raw", 12)
        # The caller has already consumed two frames of its stdin: those are not in the video.
        cmd = (f"dd bs={FRAME} count=2 of=/dev/null status=none; "
               f"exec \"$0\" -s {SIZE} --stats-json stats.json out.mp4")
        with open("frames.raw", "rb") as f:
            proc = subprocess.run(["sh", "-c", cmd, fp.FRAMEPIPE], stdin=f, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(fp.frames_in("out.mp4"), 10)
        with open("stats.json") as f:
            self.assertEqual(json.load(f)["frames_read"], 10)

    def test_the_frames_in_the_file_are_expected_without_frames_option(self):
        write_frames("frames.raw", 12, extra=b"\x80" * 1000)  # the partial frame is not counted
        proc = fp.run_framepipe(["--input", "frames.raw", "-s", SIZE, "--progress", "json", "out.mp4"])
        records = fp.json_lines(proc.stderr)
        self.assertTrue(records, proc.stderr)
        self.assertTrue(all(r["expected_frames"] == 12 for r in records), records)
        self.assertEqual(records[-1]["event"], "end")
        self.assertEqual(records[-1]["percent"], 100.0)
        # --frames still wins: it is what the user said.
        os.unlink("out.mp4")
        proc = fp.run_framepipe(["--input", "frames.raw", "-s", SIZE, "--progress", "json", "--frames", "20",
                                 "out.mp4"])
        records = fp.json_lines(proc.stderr)
        self.assertEqual(records[-1]["expected_frames"], 20)

    def test_a_partial_last_frame_in_the_file(self):
        write_frames("frames.raw", 11, extra=b"\x80" * 1000)
        proc = fp.run_framepipe(["--input", "frames.raw", "-s", SIZE, "out.mp4"])
        self.assertEqual(proc.returncode, fp.EXIT_INPUT, proc.stderr)
        self.assertIn(f"input ended 1000 bytes into frame 12 (frame = {FRAME} bytes)", proc.stderr)
        self.assertEqual(fp.frames_in("out.mp4"), 11)
        self.assertTrue(fp.decodes_cleanly("out.mp4"))

    def test_a_file_shorter_than_a_frame(self):
        with open("tiny.raw", "wb") as f:
            f.write(b"\0" * 1000)
        proc = fp.run_framepipe(["--input", "tiny.raw", "-s", SIZE, "out.mp4"])
        self.assertEqual(proc.returncode, fp.EXIT_INPUT, proc.stderr)
        self.assertIn(f"no whole frame arrived on 'tiny.raw': it ended 1000 bytes into frame 1 (frame = {FRAME} bytes)",
                      proc.stderr)
        self.assertEqual(os.listdir("."), ["tiny.raw"])

    def test_ffmpeg_stopping_early_is_reported(self):
        write_frames("frames.raw", 20)
        # ffmpeg reading the file itself (--convert ffmpeg): it is seen to stop where it stopped, not
        # where a pipe's buffer ended.
        proc = fp.run_framepipe(["--input", "frames.raw", "-s", SIZE, "--convert", "ffmpeg", "out.mp4", "--",
                                 "-frames:v", "4"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # ffmpeg 5.1 stops reading at the limit; 7.1 reads the whole (small) file ahead in its
        # demuxer thread, and only its timestamps show that 16 frames were left out.
        self.assertRegex(proc.stderr, r"ffmpeg (stopped reading after 4 frames|used only 4 of the 20 frames it read)")
        self.assertEqual(fp.frames_in("out.mp4"), 4)

    def test_ctrl_c_keeps_the_frames_ffmpeg_had_read(self):
        write_frames("frames.raw", 300)
        p = fp.start_framepipe(["--input", "frames.raw", "-s", SIZE, "-r", "60", "--stats-json", "stats.json",
                             "out.mp4", "--", "-vf", "realtime"])
        fp.ffmpeg_child_of(p.pid)
        time.sleep(1.0)
        started = time.time()
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        self.assertLess(time.time() - started, 5, "ffmpeg was not asked to stop")
        self.assertEqual(p.returncode, 130, err)
        self.assertIn(b"interrupted by SIGINT", err)
        frames = fp.frames_in("out.mp4")
        self.assertTrue(0 < frames < 300, frames)
        self.assertTrue(fp.decodes_cleanly("out.mp4"))
        with open("stats.json") as f:
            stats = json.load(f)
        # What ffmpeg had read when it stopped: the frames in the video, give or take its read-ahead.
        self.assertGreaterEqual(stats["frames_read"], frames)
        self.assertLessEqual(stats["frames_read"], frames + 2)
        self.assertEqual([f for f in os.listdir(".") if f.startswith(".")], [], "temporary file left behind")

    def test_an_ffmpeg_that_ignores_the_request_is_killed_by_the_third_signal(self):
        # A slow fake ffmpeg that ignores SIGINT: the first signal asks it (one SIGINT), the second
        # adds nothing, the third kills it.
        write_frames("frames.raw", 100)
        p = fp.start_framepipe(["--input", "frames.raw", "-s", SIZE, "--ffmpeg", fp.FAKE_FFMPEG, "o.mp4"],
                            env={"FAKE_IGNORE_SIGNALS": "1", "FAKE_READ_DELAY_MS": "100"})
        fp.ffmpeg_child_of(p.pid)
        for _ in range(3):
            time.sleep(0.3)
            p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn(b"stopped by force", err)
        self.assertEqual(os.listdir("."), ["frames.raw"])


if __name__ == "__main__":
    unittest.main()
