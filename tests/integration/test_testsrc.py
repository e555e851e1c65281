"""framepipe-testsrc, the demo's and the tests' producer: frames rendered on several threads must
come out byte for byte as from one thread, in exact whole frames, and keep moving (the benchmark's
encoder numbers mean nothing if the picture stops changing).
"""
import hashlib
import subprocess
import unittest

import fp

W, H = 320, 240
SIZE = f"{W}x{H}"


def frames(n, threads, pix_fmt="rgba", size=SIZE, extra=("--labels",)):
    return fp.testsrc(n, size, pix_fmt, fps="60", extra=("--threads", str(threads), *extra))


def frame_hashes(data, frame_bytes):
    return [hashlib.sha256(data[i:i + frame_bytes]).hexdigest() for i in range(0, len(data), frame_bytes)]


def region(frame, width, x0, x1, y0, y1, bpp=4):
    """The bytes of the rectangle [x0, x1) x [y0, y1) of one frame `width` pixels wide."""
    return b"".join(frame[(y * width + x0) * bpp:(y * width + x1) * bpp] for y in range(y0, y1))


class Deterministic(unittest.TestCase):
    def test_every_thread_count_writes_the_same_bytes(self):
        one = frames(9, 1)
        self.assertEqual(len(one), 9 * W * H * 4)
        for threads in (2, 3, 8):
            with self.subTest(threads=threads):
                many = frames(9, threads)
                # Frame by frame first, so a failure says which frame differs.
                self.assertEqual(frame_hashes(many, W * H * 4), frame_hashes(one, W * H * 4))
                self.assertEqual(many, one)

    def test_same_bytes_in_every_pixel_format(self):
        for pix_fmt, bpp in (("rgb24", 3), ("gray", 1), ("gray16le", 2), ("grayf32le", 4), ("rgba64le", 8)):
            with self.subTest(pix_fmt=pix_fmt):
                one = frames(4, 1, pix_fmt)
                self.assertEqual(len(one), 4 * W * H * bpp)
                self.assertEqual(frames(4, 2, pix_fmt), one)

    def test_a_run_repeats_exactly(self):
        self.assertEqual(frames(3, 2), frames(3, 2))


class ExactFrames(unittest.TestCase):
    def test_frame_count_and_size_are_exact(self):
        for size, n, pix_fmt, bpp in (("301x201", 5, "bgr24", 3), ("160x120", 1, "argb", 4),
                                      ("64x48", 13, "rgb48le", 6), (SIZE, 0, "rgba", 4),
                                      ("1x1", 2, "rgba", 4)):  # no plot at all: the texture alone
            with self.subTest(size=size, frames=n, pix_fmt=pix_fmt):
                w, h = map(int, size.split("x"))
                self.assertEqual(len(frames(n, 3, pix_fmt, size)), n * w * h * bpp)

    def test_solid_and_partial_frames_keep_their_sizes(self):
        solid = frames(3, 2, "rgb24", extra=("--solid", "255,0,0", "--partial-bytes", "100"))
        self.assertEqual(len(solid), 3 * W * H * 3 + 100)
        self.assertEqual(solid[:3 * W * H * 3], b"\xff\x00\x00" * (3 * W * H))
        self.assertEqual(solid[3 * W * H * 3:], b"\x80" * 100)

    def test_zero_threads_is_refused(self):
        proc = subprocess.run([fp.TESTSRC, "-n", "1", "--threads", "0"], capture_output=True, text=True)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("--threads", proc.stderr)
        self.assertEqual(proc.stdout, "")


class Moving(unittest.TestCase):
    def test_the_texture_and_the_frame_counter_change_every_frame(self):
        w, h = 640, 360
        size, frame_bytes = f"{w}x{h}", w * h * 4
        data = frames(3, 2, size=size)
        f = [data[i * frame_bytes:(i + 1) * frame_bytes] for i in range(3)]
        texture = lambda frame: region(frame, w, w // 2, w, 0, h)
        self.assertNotEqual(texture(f[0]), texture(f[1]))
        self.assertNotEqual(texture(f[1]), texture(f[2]))
        # "FRAME 00000 T=0.000S" at (60, 30), twice the font's size: above the curves, in the plot.
        counter = lambda frame: region(frame, w, 60, w // 2, 30, 44)
        self.assertNotEqual(counter(f[0]), counter(f[1]))
        unlabelled = frames(1, 2, size=size, extra=())
        self.assertNotEqual(counter(unlabelled), counter(f[0]), "--labels draws the counter")


if __name__ == "__main__":
    unittest.main()
