"""Real producers that nobody here wrote (ffmpeg, GStreamer, matplotlib) and the examples, piped
into framepipe through a real OS pipe: N frames in, N frames out, content intact.

Each producer is deterministic, so it runs twice: once into framepipe, once into memory as the
reference that decoded frames are compared with.
"""
import os
import subprocess
import unittest

import fp

N = 24
W, H = 320, 240
BUILD_DIR = os.path.dirname(os.path.abspath(fp.FRAMEPIPE))
EXAMPLES = os.path.join(fp.SOURCE_DIR, "examples")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, which has python3-matplotlib


def to_rgb24(data, pix_fmt):
    """Reorders raw frames in rgba, bgr24 or rgb24 into rgb24."""
    if pix_fmt == "rgb24":
        return data
    step, order = {"rgba": (4, (0, 1, 2)), "bgr24": (3, (2, 1, 0))}[pix_fmt]
    out = bytearray(len(data) // step * 3)
    for i, src in enumerate(order):
        out[i::3] = data[src::step]
    return bytes(out)


class Producers(fp.TempDirTest):

    def pipe_into_framepipe(self, producer, pix_fmt, output="out.mp4", env=None):
        """Runs `producer | framepipe ...`; returns framepipe's stderr."""
        prod = subprocess.Popen(producer, stdout=subprocess.PIPE, env=env)
        fpipe = subprocess.Popen([fp.FRAMEPIPE, "-s", f"{W}x{H}", "--pix-fmt", pix_fmt, "-r", "30", output],
                                 stdin=prod.stdout, stderr=subprocess.PIPE)
        prod.stdout.close()  # framepipe holds the only read end now
        _, err = fpipe.communicate(timeout=120)
        self.assertEqual(prod.wait(timeout=60), 0, f"producer {producer[0]} failed")
        self.assertEqual(fpipe.returncode, 0, err.decode(errors="replace"))
        return err.decode(errors="replace")

    def check_video(self, path, reference, pix_fmt):
        """N frames of the right size, and frames first, middle and last close to the reference."""
        bpp = {"rgba": 4, "bgr24": 3, "rgb24": 3}[pix_fmt]
        frame_bytes = W * H * bpp
        self.assertEqual(len(reference), N * frame_bytes, "the producer did not write N whole frames")
        stream, _ = fp.ffprobe(path)
        self.assertEqual(int(stream["nb_read_frames"]), N)
        self.assertEqual((stream["width"], stream["height"]), (W, H))
        self.assertEqual((stream["codec_name"], stream["pix_fmt"]), ("h264", "yuv420p"))
        self.assertTrue(fp.decodes_cleanly(path))
        for index in (0, N // 2, N - 1):
            sent = to_rgb24(reference[index * frame_bytes:(index + 1) * frame_bytes], pix_fmt)
            got = fp.decode_frame(path, index, "rgb24", f"{W}x{H}")
            with self.subTest(frame=index):
                self.assertGreater(fp.psnr(sent, got), 35)

    def test_ffmpeg_as_producer(self):
        producer = ["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", f"testsrc2=size={W}x{H}:rate=30",
                    "-frames:v", str(N), "-f", "rawvideo", "-pix_fmt", "bgr24", "-"]
        self.pipe_into_framepipe(producer, "bgr24")
        reference = subprocess.run(producer, stdout=subprocess.PIPE, check=True).stdout
        self.check_video("out.mp4", reference, "bgr24")

    def test_gstreamer_as_producer(self):
        # pattern=ball: a moving anti-aliased disc, so frames differ and the index pairing is tested.
        producer = ["gst-launch-1.0", "-q", "videotestsrc", f"num-buffers={N}", "pattern=ball", "!",
                    f"video/x-raw,format=RGBA,width={W},height={H},framerate=30/1", "!", "fdsink", "fd=1"]
        self.pipe_into_framepipe(producer, "rgba")
        reference = subprocess.run(producer, stdout=subprocess.PIPE, check=True).stdout
        self.check_video("out.mp4", reference, "rgba")

    def test_matplotlib_example(self):
        script = os.path.join(EXAMPLES, "plot_animation.py")
        common = ["--size", f"{W}x{H}", "--fps", "30", "--frames", str(N)]
        # As a user runs it: the script starts framepipe itself.
        proc = subprocess.run([SYSTEM_PYTHON, script, *common, "--framepipe", fp.FRAMEPIPE, "plot.mp4"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        reference = subprocess.run([SYSTEM_PYTHON, script, *common, "--raw"], stdout=subprocess.PIPE,
                                   check=True, timeout=120).stdout
        self.check_video("plot.mp4", reference, "rgba")
        # And as a stage of a shell-style pipeline.
        self.pipe_into_framepipe([SYSTEM_PYTHON, script, *common, "--raw"], "rgba", "piped.mp4")
        self.check_video("piped.mp4", reference, "rgba")

    def test_cpp_example_producer(self):
        producer = [os.path.join(BUILD_DIR, "examples", "producer"), str(W), str(H), str(N)]
        self.pipe_into_framepipe(producer, "rgb24")
        reference = subprocess.run(producer, stdout=subprocess.PIPE, check=True).stdout
        self.check_video("out.mp4", reference, "rgb24")


if __name__ == "__main__":
    unittest.main()
