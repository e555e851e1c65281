"""A stream's first header is read only after every check that does not need it: an existing
output is refused without a byte of the producer's stream consumed, and a signal while framepipe
waits for a slow producer's header ends the run as a signal anywhere else does (128+N, nothing
written, no temporary file left).
"""
import json
import os
import signal
import subprocess
import time
import unittest

import fp


def y4m(frames=3):
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc2=s=64x48:r=25",
                           "-frames:v", str(frames), "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", "-"],
                          check=True, stdout=subprocess.PIPE).stdout


class HeaderReadLast(fp.TempDirTest):

    def test_existing_output_is_refused_before_stdin_is_read(self):
        with open("in.y4m", "wb") as f:
            f.write(y4m())
        with open("out.mp4", "wb") as f:
            f.write(b"an older video")
        with open("in.y4m", "rb") as stdin:
            proc = subprocess.run([fp.FRAMEPIPE, "out.mp4"], stdin=stdin, stderr=subprocess.PIPE,
                                  env=fp.framepipe_env(), timeout=60)
            # The same open file: its offset shows how much framepipe read.
            self.assertEqual(os.lseek(stdin.fileno(), 0, os.SEEK_CUR), 0)
        self.assertEqual(proc.returncode, fp.EXIT_OUTPUT, proc.stderr)
        self.assertEqual(proc.stderr.decode(), "framepipe: error: output 'out.mp4' already exists: pass "
                         "-y/--overwrite to replace it, or choose another name\n")
        with open("out.mp4", "rb") as f:
            self.assertEqual(f.read(), b"an older video")

    def test_existing_output_is_refused_before_a_slow_producer_writes(self):
        with open("out.mp4", "wb") as f:
            f.write(b"an older video")
        read_end, write_end = os.pipe()
        started = time.time()
        proc = subprocess.run([fp.FRAMEPIPE, "out.mp4"], stdin=read_end, stderr=subprocess.PIPE,
                              env=fp.framepipe_env(), timeout=60)
        os.close(read_end)
        os.close(write_end)  # nothing was ever written: framepipe did not wait for it
        self.assertEqual(proc.returncode, fp.EXIT_OUTPUT, proc.stderr)
        self.assertLess(time.time() - started, 30)

    def interrupt_header_wait(self, signo, status):
        read_end, write_end = os.pipe()
        proc = fp.start_framepipe(["--stats-json", "stats.json", "out.mp4"], stdin=read_end)
        os.close(read_end)
        # The temporary output exists once every check before the header has passed.
        deadline = time.time() + 30
        while not any(n.endswith(".part") for n in os.listdir(".")) and time.time() < deadline:
            time.sleep(0.02)
        self.assertLess(time.time(), deadline, "framepipe never got to wait for the header")
        time.sleep(0.2)
        proc.send_signal(signo)
        _, err = proc.communicate(timeout=30)
        os.close(write_end)
        err = err.decode()
        self.assertEqual(proc.returncode, status, err)
        self.assertEqual(err, "framepipe: interrupted while waiting for the first frame's header; "
                         "nothing was written\n")
        self.assertEqual(sorted(os.listdir(".")), ["stats.json"])
        with open("stats.json") as f:
            stats = json.load(f)
        self.assertEqual((stats["exit_status"], stats["exit_reason"]), (status, "interrupted"))
        self.assertEqual(stats["interrupted_by"], "SIG" + signal.Signals(signo).name[3:])

    def test_sigint_while_waiting_for_the_header(self):
        self.interrupt_header_wait(signal.SIGINT, 130)

    def test_sigterm_while_waiting_for_the_header(self):
        self.interrupt_header_wait(signal.SIGTERM, 143)

    def test_a_slow_producer_still_works(self):
        with open("in.y4m", "wb") as f:
            f.write(y4m())
        producer = subprocess.Popen(["sh", "-c", 'sleep 1; cat "$0"', "in.y4m"], stdout=subprocess.PIPE)
        proc = subprocess.run([fp.FRAMEPIPE, "-q", "out.mp4"], stdin=producer.stdout, stderr=subprocess.PIPE,
                              env=fp.framepipe_env(), timeout=60)
        producer.stdout.close()
        producer.wait()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(fp.frames_in("out.mp4"), 3)

    def test_a_named_pipe_whose_producer_comes_later(self):
        # Reading a FIFO before any writer has opened it returns end-of-file at once: the header
        # wait must poll for the producer instead (main read it as an empty input, exit 2).
        with open("in.y4m", "wb") as f:
            f.write(y4m())
        os.mkfifo("frames.fifo")
        proc = fp.start_framepipe(["-q", "-i", "frames.fifo", "out.mp4"])
        time.sleep(1.0)
        with open("frames.fifo", "wb") as fifo, open("in.y4m", "rb") as f:
            fifo.write(f.read())
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(fp.frames_in("out.mp4"), 3)

    def test_a_segment_tag_has_the_header_rate(self):
        # --segment-start is checked before the header is read; its tag must still carry the
        # stream's own rate (F25:1), not --fps's default of 30.
        proc = subprocess.run([fp.FRAMEPIPE, "-q", "-p", "x264-crf17", "--segment-start", "10", "seg.mp4"],
                              input=y4m(), stderr=subprocess.PIPE, env=fp.framepipe_env(), timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        _, fmt = fp.ffprobe("seg.mp4", count_frames=False)
        self.assertEqual(fmt["tags"]["comment"], "framepipe-segment start=10 rate=25/1 preset=x264-crf17")


if __name__ == "__main__":
    unittest.main()
