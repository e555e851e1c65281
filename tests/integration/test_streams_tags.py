"""What a YUV4MPEG2 header says of its pictures beyond the pixels reaches the output: the pixel
aspect ratio (A), the field order (I) and the chroma siting its colourspace implies (C). Real
producers (ffmpeg's yuv4mpegpipe muxer with setsar, setfield and -chroma_sample_location; GStreamer's
y4menc), checked with ffprobe against what ffprobe reads from the producer's own stream.
"""
import json
import os
import subprocess
import unittest

import fp

W, H, N = 720, 576, 6  # SD, as interlaced and anamorphic video mostly is


def produce(args, pix_fmt="yuv420p"):
    """ffmpeg's yuv4mpegpipe output for its test pattern, with `args` before the muxer."""
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r=25",
                           "-frames:v", str(N), "-pix_fmt", pix_fmt, *args, "-f", "yuv4mpegpipe", "-"],
                          check=True, stdout=subprocess.PIPE).stdout


def produce_sited(location):
    """A yuv4mpegpipe stream whose chroma siting is `location`, given to the rawvideo decoder so
    that it rides on the frames: ffmpeg 7 takes an encoder's siting from its frames and ignores
    -chroma_sample_location as an output option; 5.1 copies the decoder's."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r=25",
                          "-frames:v", str(N), "-pix_fmt", "yuv420p", "-f", "rawvideo", "-"],
                         check=True, stdout=subprocess.PIPE).stdout
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-chroma_sample_location", location, "-f",
                           "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{W}x{H}", "-r", "25", "-i", "-",
                           "-f", "yuv4mpegpipe", "-"], input=raw, check=True, stdout=subprocess.PIPE).stdout


def container_field_order(order, out):
    """What ffprobe reads back as the field order of an output whose input is `order` ("tt", "bb").
    ffmpeg 7 sets every encoder's field order from the frames, "tb"/"bt" for all but MJPEG, over
    -field_order: Matroska and MOV store those; from MP4, ffprobe reads the H.264 bitstream's."""
    if fp.ffmpeg_major() >= 7 and not out.endswith(".mp4"):
        return {"tt": "tb", "bb": "bt"}.get(order, order)
    return order


def tags(path):
    """ffprobe's sample_aspect_ratio, field_order and chroma_location of the first video stream."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=sample_aspect_ratio,field_order,chroma_location", "-of", "json", path],
                         check=True, stdout=subprocess.PIPE).stdout
    s = json.loads(out)["streams"][0]
    return s.get("sample_aspect_ratio"), s.get("field_order"), s.get("chroma_location")


def frame_fields(path):
    """(interlaced_frame, top_field_first) of every decoded frame, as a set."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_frames", "-show_entries",
                          "frame=interlaced_frame,top_field_first", "-of", "json", path],
                         check=True, stdout=subprocess.PIPE).stdout
    return {(f["interlaced_frame"], f["top_field_first"]) for f in json.loads(out)["frames"]}


def y4m_header(data):
    return data[:data.index(b"\n")].decode()


class PictureTags(fp.TempDirTest):

    def encode(self, data, out="out.mp4", args=(), expect=fp.EXIT_OK):
        with open("in.y4m", "wb") as f:
            f.write(data)
        proc = fp.run_framepipe([*args, out], data)
        self.assertEqual(proc.returncode, expect, proc.stderr)
        return proc

    def check_like_input(self, data, out, args=()):
        """The output's tags equal what ffprobe reads from the stream itself; returns them."""
        proc = self.encode(data, out, args)
        expected = tags("in.y4m")
        sar, order, location = tags(out)
        self.assertEqual((sar, order, location), (expected[0], container_field_order(expected[1], out), expected[2]),
                         y4m_header(data))
        self.assertEqual(fp.frames_in(out), N)
        return expected, proc

    def test_pixel_aspect_ratio_from_setsar(self):
        data = produce(["-vf", "setsar=16/11"])
        self.assertIn(" A16:11 ", y4m_header(data))
        for out in ("out.mp4", "out.mkv"):
            with self.subTest(out=out):
                (sar, _, _), _ = self.check_like_input(data, out)
                self.assertEqual(sar, "16:11")
        stream, _ = fp.ffprobe("out.mkv", count_frames=False)
        self.assertEqual(stream["display_aspect_ratio"], "20:11")

    def test_unknown_pixel_aspect_ratio_sets_none(self):
        data = produce(["-vf", "setsar=0"])
        self.assertIn(" A0:0 ", y4m_header(data))
        self.encode(data)
        self.assertIn(tags("out.mp4")[0], (None, "0:1", "N/A"))

    def test_field_order_from_setfield(self):
        for field, order, top in (("tff", "tt", 1), ("bff", "bb", 0)):
            data = produce(["-vf", f"setfield={field}"])
            self.assertIn(f" I{order[0]} ", y4m_header(data))
            for out in ("out.mp4", "out.mkv"):
                with self.subTest(field=field, out=out):
                    (_, got, _), _ = self.check_like_input(data, out, ["-y"])
                    self.assertEqual(got, order)
                    # libx264 codes the fields (what players deinterlace by), every frame of them.
                    self.assertEqual(frame_fields(out), {(1, top)})

    def test_interlaced_content_survives_interlaced_coding(self):
        data = produce(["-vf", "setfield=bff"])
        self.encode(data)
        proc = subprocess.run(["ffmpeg", "-nostdin", "-i", "out.mp4", "-f", "yuv4mpegpipe", "-i", "in.y4m",
                               "-lavfi", "[0]scale=in_color_matrix=bt709:in_range=tv,format=rgb24[a];"
                               "[1]scale=in_color_matrix=bt601:in_range=tv,format=rgb24[b];[a][b]psnr",
                               "-f", "null", "-"], stderr=subprocess.PIPE, text=True)
        psnr = float(proc.stderr.split("PSNR r:")[1].split("average:")[1].split()[0])
        self.assertGreater(psnr, 30)

    def test_field_order_in_prores_mov(self):
        # ProRes is 4:2:2: MOV has no chroma siting to give, and 4:2:0 siting would not apply.
        data = produce(["-vf", "setfield=tff"])
        self.encode(data, "out.mov", ["-p", "prores"])
        self.assertEqual(tags("out.mov"), ("1:1", container_field_order("tt", "out.mov"), None))
        self.assertEqual(frame_fields("out.mov"), {(1, 1)})

    def test_field_order_that_webm_cannot_hold_is_warned_about(self):
        data = produce(["-vf", "setfield=bff"])
        proc = self.encode(data, "out.webm", ["-p", "vp9"])
        self.assertIn("framepipe: warning: the input is interlaced (bottom field first), but libvpx-vp9 "
                      "in .webm cannot say so: players will show its frames as progressive, combed where "
                      "things move; a libx264 preset or an .mkv output keeps the field order", proc.stderr)
        self.encode(data, "out.mkv", ["-p", "vp9", "-y"])
        self.assertEqual(tags("out.mkv")[1], container_field_order("bb", "out.mkv"))

    def test_chroma_siting_from_the_colourspace(self):
        for location, colourspace in (("left", "420mpeg2"), ("center", "420jpeg"), ("topleft", "420paldv")):
            data = produce_sited(location)
            self.assertIn(f" C{colourspace} ", y4m_header(data))
            for out in ("out.mp4", "out.mkv"):
                with self.subTest(location=location, out=out):
                    (_, _, got), _ = self.check_like_input(data, out, ["-y"])
                    self.assertEqual(got, location)

    def y4menc(self, interlace):
        caps = (f"video/x-raw,format=I420,width={W},height={H},framerate=25/1,pixel-aspect-ratio=16/11,"
                f"interlace-mode={interlace}")
        gst = subprocess.run(["gst-launch-1.0", "-q", "videotestsrc", f"num-buffers={N}", "!", caps, "!",
                              "y4menc", "!", "fdsink", "fd=1"], stdout=subprocess.PIPE, timeout=60)
        self.assertEqual(gst.returncode, 0)
        # GStreamer writes C420 (ffmpeg reads it as centre-sited).
        self.assertTrue(y4m_header(gst.stdout).startswith("YUV4MPEG2 C420 "), y4m_header(gst.stdout))
        return gst.stdout

    def test_gstreamer_y4menc_aspect(self):
        data = self.y4menc("progressive")
        self.assertIn(" Ip ", y4m_header(data))
        got, _ = self.check_like_input(data, "out.mp4")
        self.assertEqual(got, ("16:11", "progressive", "center"))

    def test_gstreamer_y4menc_fields(self):
        data = self.y4menc("interleaved,field-order=bottom-field-first")
        self.assertIn(" Ib ", y4m_header(data))
        header_end = data.index(b"\n") + 1
        frame_bytes = data.index(b"FRAME", header_end + 1) - header_end - len(b"FRAME\n")
        if frame_bytes == W * H * 3 // 2:  # GStreamer 1.22 (Debian 12)
            got, _ = self.check_like_input(data, "out.mp4")
            self.assertEqual(got, ("16:11", "bb", "center"))
            return
        # GStreamer 1.26 (Debian 13) writes interlaced I420 frames with the chroma planes at the luma
        # stride (829440 bytes a frame, for the 622080 its header declares); ffmpeg's own demuxer
        # stops after one frame too. framepipe keeps that frame and says where the stream went wrong.
        self.assertEqual(frame_bytes, W * H * 2)
        proc = self.encode(data, expect=fp.EXIT_INPUT)
        self.assertIn(f"frame 2 at byte {header_end + len(b'FRAME') + 1 + W * H * 3 // 2}: expected a "
                      '"FRAME" line', proc.stderr)
        self.assertIn(f"its frames are not the size its header declares ({W}x{H} yuv420p, "
                      f"{W * H * 3 // 2} bytes); the frames before it were kept", proc.stderr)
        self.assertEqual(fp.frames_in("out.mp4"), 1)

    def test_mixed_interlacing_is_refused(self):
        frame = b"FRAME Itpi\n" + bytes(64 * 48 * 3 // 2)
        proc = self.encode(b"YUV4MPEG2 W64 H48 F25:1 Im C420jpeg\n" + frame * 2, expect=fp.EXIT_INPUT)
        self.assertEqual(proc.stderr, "framepipe: error: the YUV4MPEG2 header says Im: its frames mix "
                         "interlaced and progressive pictures, each saying which in its FRAME line, and "
                         "framepipe tags the whole video one way: have the producer send It, Ib or Ip "
                         "(ffmpeg refuses Im too); nothing was written\n")
        self.assertEqual(sorted(os.listdir(".")), ["in.y4m"])


if __name__ == "__main__":
    unittest.main()
