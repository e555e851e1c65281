"""The GNU parallel example (examples/segments/parallel.sh) on this machine: windows rendered and
encoded side by side, then joined; every frame lands in its place."""
import os
import shutil
import subprocess
import sys
import unittest

import fp

if not shutil.which("parallel"):
    print("SKIP: GNU parallel is not installed (make test installs it: apt-get install parallel)")
    sys.exit(125)

EXAMPLES = os.path.join(fp.SOURCE_DIR, "examples", "segments")
PRODUCER = os.path.join(os.path.dirname(fp.FRAMEPIPE), "examples", "producer")
W, H, TOTAL, WINDOW = 320, 240, 70, 20


def example_env(**extra):
    env = fp.framepipe_env({"FRAMEPIPE": fp.FRAMEPIPE, "PRODUCER": PRODUCER, "SIZE": f"{W}x{H}",
                            "TOTAL": str(TOTAL), "WINDOW": str(WINDOW), "JOBS": "2"})
    env.update(extra)
    return env


def producer_frame(index):
    """Frame `index` of the example producer's animation, as rgb24 bytes."""
    return subprocess.run([PRODUCER, str(W), str(H), "1", str(index)], check=True,
                          stdout=subprocess.PIPE).stdout


class Parallel(fp.TempDirTest):
    def test_windows_encoded_in_parallel_join_in_order(self):
        os.mkdir("parts")
        proc = subprocess.run([os.path.join(EXAMPLES, "parallel.sh"), "movie.mp4"], env=example_env(
            SEGMENTS=self.path("parts")), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("joined 4 segments (70 frames) into movie.mp4, verified; the segments were removed",
                      proc.stderr)
        self.assertFalse(os.path.exists("parts"), "emptied and removed after the verified join")
        self.assertEqual(fp.frames_in("movie.mp4"), TOTAL)
        pts, (num, den) = fp.packet_times("movie.mp4")
        self.assertEqual([t - pts[0] for t in pts], [round(i * den / (num * 30)) for i in range(TOTAL)])
        # Each window's frames are where they belong: the first and last of windows, the seams.
        for index in (0, 19, 20, 41, 60, 69):
            with self.subTest(frame=index):
                decoded = fp.decode_frame("movie.mp4", index, "rgb24", f"{W}x{H}")
                self.assertGreater(fp.psnr(decoded, producer_frame(index)), 30)
                if index > 0:
                    self.assertLess(fp.psnr(decoded, producer_frame(index - 1)),
                                    fp.psnr(decoded, producer_frame(index)))


if __name__ == "__main__":
    unittest.main()
