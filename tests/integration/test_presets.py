"""The preset catalogue against the real ffmpeg (issue 3): every software preset this ffmpeg can
run writes the codec, container, pixel format, colour tags and frame count it promises; colours
survive the round trip; odd sizes are padded; hardware presets fall back here without losing a
frame; and a preset that cannot write the output is refused before any input is read.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import fp

SIZE = "160x120"
FRAMES = 8

# What each software preset must produce: extension, codec, pixel format as ffprobe reports it,
# and whether the stream carries BT.709 colour tags. A new preset must be added here.
SOFTWARE = {
    "x264-superfast-crf17": ("mp4", "h264", "yuv420p", True),
    "x264-crf17": ("mp4", "h264", "yuv420p", True),
    "x264-crf23": ("mp4", "h264", "yuv420p", True),
    "x264-small": ("mp4", "h264", "yuv420p", True),
    "x264-444": ("mp4", "h264", "yuv444p", True),
    "x264-lossless": ("mp4", "h264", "yuv444p", True),
    "x265-crf28": ("mp4", "hevc", "yuv420p", True),
    "vp8": ("webm", "vp8", "yuv420p", True),
    "vp9": ("webm", "vp9", "yuv420p", True),
    "av1": ("mp4", "av1", "yuv420p", True),
    # prores_ks writes each frame's own colour fields, which framepipe sets with setparams;
    # test_prores_colr checks the mov 'colr' atom as well.
    "prores": ("mov", "prores", "yuv422p10le", True),
    # ffv1 stores RGB losslessly; its decoder hands it back as bgr0.
    "ffv1": ("mkv", "ffv1", "bgr0", False),
    "gif": ("gif", "gif", "bgra", False),
}
HARDWARE = ["nvenc-8M", "hevc-nvenc", "qsv", "amf-8M", "vaapi"]
FORMAT_NAMES = {"mp4": "mov,mp4,m4a,3gp,3g2,mj2", "mov": "mov,mp4,m4a,3gp,3g2,mj2", "webm": "matroska,webm",
                "mkv": "matroska,webm", "gif": "gif"}


def listed():
    """name -> (encoder, status) from --list-presets, status as this ffmpeg has the encoder."""
    proc = fp.run_framepipe(["--list-presets"])
    assert proc.returncode == 0, proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        words = line.split()
        out[words[0]] = (words[1], words[2])
    return out


def solid(rgb, frames=4, size=SIZE):
    return fp.testsrc(frames, size=size, pix_fmt="rgb24", extra=("--solid", ",".join(map(str, rgb))))


def decoded_rgb(path, size):
    """Frame 0 decoded to rgb24 with the BT.709 matrix and limited range, as players do."""
    return subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-frames:v", "1", "-vf",
                           "scale=in_color_matrix=bt709:in_range=tv:flags=accurate_rnd,format=rgb24",
                           "-s", size, "-f", "rawvideo", "-"], check=True, stdout=subprocess.PIPE).stdout


def pipe_with(data):
    """A pipe holding `data`, write end closed: what framepipe leaves unread can be read back.
    `data` must fit the pipe buffer (64 KiB), or writing it here would block."""
    assert len(data) < 65536
    r, w = os.pipe()
    os.write(w, data)
    os.close(w)
    return r


def run_on_pipe(args, data, env=None):
    """Runs framepipe on a pipe holding `data`; returns the process and the bytes it left unread."""
    r = pipe_with(data)
    try:
        proc = subprocess.run([fp.FRAMEPIPE, *args], stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=fp.framepipe_env(env), timeout=60)
        os.set_blocking(r, False)
        try:
            left = os.read(r, len(data) + 1)
        except BlockingIOError:
            left = b""
    finally:
        os.close(r)
    proc.stderr = proc.stderr.decode(errors="replace")
    return proc, left


def first_frame(path):
    """ffprobe's description of the first decoded frame of a video."""
    return json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_frames", "-read_intervals", "%+#1", "-of", "json", path],
        check=True, stdout=subprocess.PIPE).stdout)["frames"][0]


class SoftwarePresets(fp.TempDirTest):

    def test_every_software_preset_writes_what_it_promises(self):
        presets = listed()
        frames = fp.testsrc(FRAMES, SIZE)
        checked = []
        for name, (encoder, status) in sorted(presets.items()):
            if status == "needs-gpu" or (status == "no" and name in HARDWARE):
                continue
            with self.subTest(preset=name):
                self.assertIn(name, SOFTWARE, f"add the expected output of preset {name} to SOFTWARE")
                if status != "yes":
                    continue  # this ffmpeg lacks the encoder: test_missing_encoder covers that path
                ext, codec, pix_fmt, tagged = SOFTWARE[name]
                out = f"{name}.{ext}"
                proc = fp.run_framepipe(["-s", SIZE, "-p", name, out], frames)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                stream, fmt = fp.ffprobe(out)
                self.assertEqual(stream["codec_name"], codec)
                self.assertEqual(fmt["format_name"], FORMAT_NAMES[ext])
                self.assertEqual(stream["pix_fmt"], pix_fmt)
                self.assertEqual(int(stream["nb_read_frames"]), FRAMES)
                self.assertEqual((stream["width"], stream["height"]), (160, 120))
                if tagged:
                    self.assertEqual([stream.get(k) for k in ("color_space", "color_primaries",
                                                              "color_transfer")],
                                     ["bt709", "bt709", "bt709"])
                    # mov's 'colr' nclc atom has no range field: ffprobe 5.1 reports ProRes'
                    # fixed limited range for the stream, 7.1 "unknown". The decoded frames say
                    # tv in both, and that is what a player uses.
                    range_tag = first_frame(out).get("color_range") if codec == "prores" \
                        else stream.get("color_range")
                    self.assertEqual(range_tag, "tv")
                checked.append(name)
        # Debian's ffmpeg has every software encoder the catalogue uses.
        self.assertGreaterEqual(len(checked), 10, checked)

    def test_prores_colr(self):
        proc = fp.run_framepipe(["-s", SIZE, "-p", "prores", "out.mov"], fp.testsrc(2, SIZE))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        trace = subprocess.run(["ffprobe", "-v", "trace", "out.mov"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT).stdout.decode(errors="replace")
        self.assertIn("nclc: pri 1 trc 1 matrix 1", trace)  # 1 = BT.709 in all three
        # The frames themselves, where editors and ffmpeg's decoder read the matrix from.
        frame = first_frame("out.mov")
        self.assertEqual([frame.get(k) for k in ("color_space", "color_primaries", "color_transfer", "color_range")],
                         ["bt709", "bt709", "bt709", "tv"])

    def test_lossless_presets_are_lossless(self):
        rgb = fp.testsrc(4, SIZE, "rgb24")
        # ffv1 keeps RGB as it is: the decoded bytes are the bytes sent.
        proc = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "rgb24", "-p", "ffv1", "l.mkv"], rgb)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", "l.mkv", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                                 check=True, stdout=subprocess.PIPE).stdout
        self.assertTrue(decoded == rgb, "ffv1 changed pixels")
        # x264-lossless is exact after the BT.709 conversion, which is the only rounding left:
        # ffmpeg's, to the bit, or framepipe's, to one level.
        converted = subprocess.run(["ffmpeg", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", SIZE, "-i", "-",
                                    "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv444p",
                                    "-f", "rawvideo", "-"], input=rgb, check=True, stdout=subprocess.PIPE).stdout
        for convert in ("ffmpeg", "framepipe"):
            proc = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "rgb24", "-p", "x264-lossless", "--convert", convert,
                                     f"l-{convert}.mp4"], rgb)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", f"l-{convert}.mp4", "-f", "rawvideo",
                                      "-pix_fmt", "yuv444p", "-"], check=True, stdout=subprocess.PIPE).stdout
            self.assertEqual(len(decoded), len(converted))
            worst = max(abs(a - b) for a, b in zip(decoded, converted))
            self.assertLessEqual(worst, 0 if convert == "ffmpeg" else 1, f"x264-lossless changed pixels ({convert})")

    def test_warnings_for_presets_browsers_refuse(self):
        for name, ext in (("x264-444", "mp4"), ("x264-lossless", "mp4"), ("gif", "gif")):
            with self.subTest(preset=name):
                proc = fp.run_framepipe(["-s", SIZE, "-p", name, f"{name}.{ext}"], fp.testsrc(2, SIZE))
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertIn(f"framepipe: warning: preset {name} writes ", proc.stderr)
        proc = fp.run_framepipe(["-s", SIZE, "quiet.mp4"], fp.testsrc(2, SIZE))
        self.assertNotIn("warning", proc.stderr)

    def test_default_preset_is_the_measured_one(self):
        proc = fp.run_framepipe(["-s", SIZE, "--dry-run", "d.mp4"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(" -c:v libx264 -preset superfast -crf 17 -pix_fmt yuv420p ", proc.stdout)


class Colour(fp.TempDirTest):
    """Solid frames in, the same RGB out when decoded the way the stream is tagged."""

    COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "grey": (128, 128, 128),
               "plot green": (0, 200, 60)}
    TOLERANCE = 4  # levels per channel: limited range and 8-bit rounding cost one or two

    def test_round_trip(self):
        for preset, ext in (("x264-superfast-crf17", "mp4"), ("x264-444", "mp4"), ("vp9", "webm")):
            for label, rgb in self.COLOURS.items():
                with self.subTest(preset=preset, colour=label):
                    out = f"{preset}-{label.replace(' ', '-')}.{ext}"
                    proc = fp.run_framepipe(["-s", SIZE, "--pix-fmt", "rgb24", "-q", "-p", preset, out], solid(rgb))
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    pixels = decoded_rgb(out, SIZE)
                    centre = (60 * 160 + 80) * 3
                    got = tuple(pixels[centre:centre + 3])
                    self.assertTrue(all(abs(a - b) <= self.TOLERANCE for a, b in zip(got, rgb)),
                                    f"{rgb} came back as {got}")


class OddSize(fp.TempDirTest):

    def test_odd_size_is_padded_by_one_pixel(self):
        proc = fp.run_framepipe(["-s", "301x201", "odd.mp4"], fp.testsrc(6, "301x201"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stream, _ = fp.ffprobe("odd.mp4")
        self.assertEqual((stream["width"], stream["height"]), (302, 202))
        self.assertEqual(int(stream["nb_read_frames"]), 6)
        # The added column and row are black.
        rgb = decoded_rgb("odd.mp4", "302x202")
        last_column = [rgb[(y * 302 + 301) * 3 + c] for y in range(40, 160, 10) for c in range(3)]
        self.assertLessEqual(max(last_column), 30, last_column)

    def test_4_4_4_needs_no_padding(self):
        proc = fp.run_framepipe(["-s", "301x201", "-p", "x264-444", "odd.mp4"], fp.testsrc(3, "301x201"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stream, _ = fp.ffprobe("odd.mp4")
        self.assertEqual((stream["width"], stream["height"]), (301, 201))


class HardwarePresets(fp.TempDirTest):
    """No GPU here: Debian's ffmpeg lists h264_nvenc, hevc_nvenc, h264_qsv and h264_vaapi but cannot
    open them, and has no h264_amf at all. Each must fall back to x264-crf17 without losing a frame."""

    def test_each_falls_back_to_x264_without_losing_a_frame(self):
        frames = fp.testsrc(FRAMES, SIZE)
        for name in HARDWARE:
            with self.subTest(preset=name):
                out = f"{name}.mp4"
                proc = fp.run_framepipe(["-s", SIZE, "-p", name, out], frames)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertIn(f"framepipe: warning: cannot use {name} (", proc.stderr)
                self.assertIn("falling back to preset 'x264-crf17' (libx264)", proc.stderr)
                stream, _ = fp.ffprobe(out)
                self.assertEqual(stream["codec_name"], "h264")
                self.assertEqual(int(stream["nb_read_frames"]), FRAMES)

    def test_no_fallback_fails_with_7_and_leaves_no_file(self):
        for name in HARDWARE:
            with self.subTest(preset=name):
                proc, left = run_on_pipe(["-s", SIZE, "-p", name, "--no-fallback", f"{name}.mp4"], b"x" * 1000)
                self.assertEqual(proc.returncode, fp.EXIT_ENCODER_UNAVAILABLE, proc.stderr)
                self.assertIn(f"of preset '{name}' cannot run here", proc.stderr)
                self.assertEqual(os.listdir("."), [])
                self.assertEqual(left, b"x" * 1000, "framepipe read input it could not encode")


class RefusedBeforeInput(fp.TempDirTest):
    """Errors a preset makes certain are reported before a byte of input is taken."""

    def test_container_the_preset_cannot_write(self):
        cases = [
            ("x264-crf17", "o.webm", "preset 'x264-crf17' (libx264) cannot be written to 'o.webm': it writes "
                                     ".mp4, .mov, .mkv, .m4v, .ts, .nut, .avi files; rename the output or "
                                     "choose another preset (framepipe --list-presets)"),
            ("vp9", "o.mov", "preset 'vp9' (libvpx-vp9) cannot be written to 'o.mov': it writes .webm, .mkv "
                             "files; rename the output or choose another preset (framepipe --list-presets)"),
            ("gif", "o.mp4", "preset 'gif' (gif) cannot be written to 'o.mp4': it writes .gif files; "
                             "rename the output or choose another preset (framepipe --list-presets)"),
        ]
        for preset, out, message in cases:
            with self.subTest(preset=preset, output=out):
                proc, left = run_on_pipe(["-s", SIZE, "-p", preset, out], b"x" * 1000)
                self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
                self.assertEqual(proc.stderr, f"framepipe: error: {message}\n")
                self.assertEqual(left, b"x" * 1000)
                self.assertEqual(os.listdir("."), [])

    def test_missing_encoder_names_the_presets_that_would_work(self):
        with open("libnone.json", "w") as f:
            json.dump({"name": "libnone", "description": "an encoder no ffmpeg has", "encoder": "libnone",
                       "containers": ["webm", "mp4"]}, f)
        proc, left = run_on_pipe(["-s", SIZE, "--preset-file", "libnone.json", "o.webm"], b"x" * 1000)
        self.assertEqual(proc.returncode, fp.EXIT_ENCODER_UNAVAILABLE, proc.stderr)
        ffmpeg = shutil.which("ffmpeg")
        self.assertEqual(proc.stderr, "framepipe: error: preset 'libnone' needs the encoder libnone, which "
                                      f"{ffmpeg} was built without; "
                                      "presets for .webm that work with it: av1, vp8, vp9 (or install an ffmpeg "
                                      "built with libnone)\n")
        self.assertEqual(left, b"x" * 1000)
        self.assertEqual(sorted(os.listdir(".")), ["libnone.json"])

    def test_list_shows_whether_this_ffmpeg_has_each_encoder(self):
        presets = listed()
        self.assertEqual(presets["x264-crf17"], ("libx264", "yes"))
        self.assertEqual(presets["nvenc-8M"], ("h264_nvenc", "needs-gpu"))
        self.assertEqual(presets["amf-8M"], ("h264_amf", "no"))  # Debian's ffmpeg is built without AMF
        proc = fp.run_framepipe(["--list-presets", "--ffmpeg", "/nonexistent/ffmpeg"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("could not ask /nonexistent/ffmpeg which encoders it has", proc.stderr)
        self.assertRegex(proc.stdout, r"(?m)^x264-crf17\s+libx264\s+unknown\s+H\.264")


class EncoderCheck(fp.TempDirTest):
    """The preset's encoder is checked before any input is read, libx264 and fallbacks included, from
    an encoder list remembered per ffmpeg binary (XDG_CACHE_HOME/framepipe)."""

    def setUp(self):
        super().setUp()
        # A copy of the fake whose time a test can change, and a cache of the test's own.
        self.ffmpeg = os.path.join(tempfile.mkdtemp(prefix="framepipe-test-ffmpeg-"), "ffmpeg")
        shutil.copy2(fp.FAKE_FFMPEG, self.ffmpeg)
        self.aside = os.path.dirname(self.ffmpeg)
        self.cache = os.path.join(self.aside, "cache")
        self.calls = os.path.join(self.aside, "calls")

    def tearDown(self):
        shutil.rmtree(self.aside, ignore_errors=True)
        super().tearDown()

    def run_fake(self, args, encoders, data=b"x" * 1000, env=None):
        env = {"FRAMEPIPE_FFMPEG": self.ffmpeg, "XDG_CACHE_HOME": self.cache, "FAKE_CALLS": self.calls,
               "FAKE_ENCODERS": encoders, **(env or {})}
        return run_on_pipe(["-s", "64x48", *args], data, env=env)  # a frame fits pipe_with()

    def calls_made(self):
        """What the fake was asked since the last look: "encoders" and "encode" runs, in order."""
        if not os.path.exists(self.calls):
            return []
        with open(self.calls) as f:
            calls = f.read().split()
        os.unlink(self.calls)
        return calls

    def test_default_preset_on_a_build_without_libx264_is_refused_before_input(self):
        proc, left = self.run_fake(["o.mp4"], "libx265 libvpx-vp9")
        self.assertEqual(proc.returncode, fp.EXIT_ENCODER_UNAVAILABLE, proc.stderr)
        self.assertEqual(proc.stderr, "framepipe: error: preset 'x264-superfast-crf17' needs the encoder libx264, "
                                      f"which {self.ffmpeg} was built without; presets for .mp4 that work with it: "
                                      "x265-crf28 (or install an ffmpeg built with libx264)\n")
        self.assertEqual(left, b"x" * 1000, "framepipe took input it could not encode")
        self.assertEqual(os.listdir("."), [])
        self.assertEqual(self.calls_made(), ["encoders"])

    def test_fallback_of_a_hardware_preset_is_checked_too(self):
        proc, left = self.run_fake(["-p", "nvenc-8M", "o.mp4"], "h264_nvenc libx265",
                                   env={"FAKE_FAIL_WITH": "h264_nvenc"})
        self.assertEqual(proc.returncode, fp.EXIT_ENCODER_UNAVAILABLE, proc.stderr)
        self.assertIn("falling back to preset 'x264-crf17' (libx264)", proc.stderr)
        self.assertIn("error: preset 'x264-crf17' needs the encoder libx264, which", proc.stderr)
        self.assertEqual(left, b"x" * 1000)
        self.assertEqual(os.listdir("."), [])

    def test_encoder_list_is_asked_once_per_binary(self):
        frame = b"\0" * (64 * 48 * 4)
        for expected in (["encoders", "encode"], ["encode"]):
            proc, left = self.run_fake(["o.mp4", "-y"], "libx264", data=frame)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(self.calls_made(), expected)
        [cached] = os.listdir(os.path.join(self.cache, "framepipe"))
        with open(os.path.join(self.cache, "framepipe", cached)) as f:
            self.assertIn("\nlibx264\nend\n", f.read())
        # An upgraded ffmpeg is a different binary: asked again.
        os.utime(self.ffmpeg, (1_000_000_000, 1_000_000_000))
        proc, _ = self.run_fake(["o.mp4", "-y"], "libx264", data=frame)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.calls_made(), ["encoders", "encode"])

    def test_a_remembered_missing_encoder_is_asked_again_before_refusing(self):
        proc, _ = self.run_fake(["o.mp4"], "libx265")
        self.assertEqual(proc.returncode, fp.EXIT_ENCODER_UNAVAILABLE, proc.stderr)
        self.calls_made()
        # Same binary, libraries since rebuilt with libx264: the remembered list is out of date.
        proc, _ = self.run_fake(["o.mp4"], "libx264 libx265", data=b"\0" * (64 * 48 * 4))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.calls_made(), ["encoders", "encode"])

    def test_real_ffmpeg_list_is_remembered(self):
        env = {"XDG_CACHE_HOME": self.cache}
        proc = fp.run_framepipe(["-s", SIZE, "o.mp4"], fp.testsrc(2, SIZE), env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        [cached] = os.listdir(os.path.join(self.cache, "framepipe"))
        with open(os.path.join(self.cache, "framepipe", cached)) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "framepipe encoder cache 1")
        self.assertTrue(lines[1].endswith("path " + os.path.realpath(shutil.which("ffmpeg"))), lines[1])
        self.assertIn("libx264", lines)
        self.assertEqual(fp.ffprobe("o.mp4")[0]["nb_read_frames"], "2")


if __name__ == "__main__":
    unittest.main()
