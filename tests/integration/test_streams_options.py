"""Options that cannot apply to the input found are usage errors, not silently ignored:
--input-matrix (a YUV4MPEG2 input's YCbCr matrix) with RGB or gray pictures, --convert-threads
and --convert framepipe with a YUV4MPEG2 or PNM stream (which ffmpeg converts). Real producers: ffmpeg, netpbm.
"""
import subprocess
import unittest

import fp


def y4m(pix_fmt="yuv420p", size="720x576"):
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", f"testsrc2=s={size}:r=25",
                           "-frames:v", "2", "-pix_fmt", pix_fmt, "-f", "yuv4mpegpipe", "-"],
                          check=True, stdout=subprocess.PIPE).stdout


class OptionsThatCannotApply(fp.TempDirTest):

    def test_input_matrix_with_png_names_the_format(self):
        png = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc2=s=64x48",
                              "-frames:v", "2", "-pix_fmt", "rgb24", "-c:v", "png", "-f", "image2pipe", "-"],
                             check=True, stdout=subprocess.PIPE).stdout
        proc = fp.run_framepipe(["--input-matrix", "bt601", "out.mp4"], png)
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertEqual(proc.stderr, "framepipe: error: --input-matrix bt601 names the YCbCr matrix a "
                         "YUV4MPEG2 input was made with, but the input is PNG (64x48 rgb24): RGB pictures "
                         "have no such matrix, so drop --input-matrix\n")

    def test_input_matrix_with_pgm_and_with_mono_y4m(self):
        pgm = subprocess.run(["pgmramp", "-lr", "64", "48"], check=True, stdout=subprocess.PIPE).stdout
        proc = fp.run_framepipe(["--input-matrix", "bt709", "out.mp4"], pgm)
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertIn("but the input is PNM (64x48 gray): gray pictures have no such matrix", proc.stderr)
        mono = y4m("gray")
        proc = fp.run_framepipe(["--input-matrix", "bt709", "out.mp4"], mono)
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertIn("but the input is YUV4MPEG2 (720x576 gray): gray pictures have no such", proc.stderr)

    def test_input_matrix_with_raw_frames_is_refused_before_reading(self):
        proc = fp.run_framepipe(["-s", "64x48", "--pix-fmt", "rgb24", "--input-matrix", "bt709", "out.mp4"],
                                fp.testsrc(2, "64x48", "rgb24"))
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertEqual(proc.stderr, "framepipe: error: --input-matrix bt709 names the YCbCr matrix a "
                         "YUV4MPEG2 input was made with, but the input is raw frames (--pix-fmt rgb24): RGB "
                         "pictures have no such matrix, so drop --input-matrix\n")

    def test_convert_threads_with_a_stream(self):
        proc = fp.run_framepipe(["--convert-threads", "2", "out.mp4"], y4m())
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertEqual(proc.stderr, "framepipe: error: --convert-threads sets the threads of framepipe's "
                         "own work on raw RGB and gray frames and PNG streams; a YUV4MPEG2 or PNM stream is "
                         "converted by ffmpeg: drop --convert-threads\n")

    def test_convert_framepipe_with_a_declared_y4m_is_refused_before_reading(self):
        # No input at all: the refusal cannot have waited for a header.
        proc = fp.run_framepipe(["--input-format", "y4m", "--convert", "framepipe", "out.mp4"], b"")
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertEqual(proc.stderr, "framepipe: error: --convert framepipe converts raw RGB and gray frames "
                         "and PNG streams; a YUV4MPEG2 or PNM stream is converted by ffmpeg: drop --convert "
                         "framepipe\n")
        pgm = subprocess.run(["pgmramp", "-lr", "64", "48"], check=True, stdout=subprocess.PIPE).stdout
        proc = fp.run_framepipe(["--convert", "framepipe", "out.mp4"], pgm)
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertIn("a YUV4MPEG2 or PNM stream is converted by ffmpeg", proc.stderr)



if __name__ == "__main__":
    unittest.main()
