"""The Python examples in examples/, run as a user runs them, with the package from the source
tree: the classic 300-frame rand() animation with writer="framepipe" (whose video must play in
Chromium), the numpy Writer loop and the write_figures loop."""
import os
import shutil
import subprocess
import sys
import unittest

import fp
import fp_python

EXAMPLES = os.path.join(fp.SOURCE_DIR, "examples")


def run_example(name, *args, timeout=240):
    return subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=fp_python.child_env(), timeout=timeout)


class Examples(fp.TempDirTest):

    def test_classic_animation_plays_in_chromium(self):
        proc = run_example("classic_animation.py")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stream, _ = fp.ffprobe("rand.mp4")
        self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])), (500, 500, 300))
        self.assertEqual((stream["codec_name"], stream["pix_fmt"]), ("h264", "yuv420p"))
        if not (shutil.which("chromium") or shutil.which("chromium-browser")):
            self.skipTest("chromium is not installed (make test installs it)")
        import test_browser
        result = test_browser.play_in_chromium(self.dir, ["rand.mp4"])["rand.mp4"]
        self.assertTrue(result["played"], result)
        self.assertEqual((result["videoWidth"], result["videoHeight"]), (500, 500))
        self.assertAlmostEqual(result["duration"], 10.0, delta=0.1)

    def test_numpy_video(self):
        proc = run_example("numpy_video.py", "waves.mp4", "45")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"^45 frames, \d+ bytes, libx264: waves.mp4$")
        stream, _ = fp.ffprobe("waves.mp4")
        self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])), (640, 360, 45))

    def test_figure_loop(self):
        proc = run_example("figure_loop.py", "sine.mp4")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), "60 frames written to sine.mp4")
        stream, _ = fp.ffprobe("sine.mp4")
        self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])), (640, 360, 60))


if __name__ == "__main__":
    unittest.main()
