"""--colormap end to end: the real framepipe colours scalar frames, ffmpeg encodes them losslessly
(ffv1, RGB) or to H.264, and every decoded pixel is compared with matplotlib's own
`cmap(Normalize(lo, hi)(masked_invalid(v)), bytes=True)`, within 1 level (numpy 1.x and 2 differ
by a level for values on a level boundary: test_colormap_matplotlib.py pins that down)."""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

import numpy as np
from matplotlib import colormaps, colors

import fp

W, H = 128, 64
NAN = "#ff00ff"


def matplotlib_rgb(name, lo, hi, values, bad=NAN):
    cmap = colormaps[name].with_extremes(bad=bad)
    with np.errstate(over="ignore", invalid="ignore"):
        normalized = colors.Normalize(lo, hi)(np.ma.masked_invalid(np.asarray(values, np.float32)
                                                                   if values.dtype.kind == "f" else values))
    return np.asarray(cmap(normalized, bytes=True))[..., :3].reshape(-1, 3)


def float_frame(lo, hi, seed):
    """A gradient from below LO to above HI, a random field, and NaN and infinities: W*H floats."""
    rng = np.random.default_rng(seed)
    margin = 0.2 * (hi - lo)
    n = W * H
    gradient = np.linspace(lo - margin, hi + margin, n // 2)
    field = rng.uniform(lo - margin, hi + margin, n - n // 2 - 6)
    specials = [np.nan, np.inf, -np.inf, lo, hi, -np.nan]
    return np.concatenate([gradient, field, specials]).astype("<f4")


def decoded_rgb(path, frames=None):
    out = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-f", "rawvideo", "-pix_fmt",
                          "rgb24", "-"], check=True, stdout=subprocess.PIPE).stdout
    pixels = np.frombuffer(out, np.uint8).reshape(-1, 3)
    return pixels if frames is None else pixels.reshape(frames, -1, 3)


class ColormapTest(fp.TempDirTest):

    def colour(self, data, *args, pix_fmt="grayf32le", preset="ffv1", out="out.mkv", size=f"{W}x{H}"):
        proc = fp.run_framepipe(["-s", size, "--pix-fmt", pix_fmt, "-p", preset, "--stats-json", "stats.json",
                                 *args, out], data)
        return proc

    def stats(self):
        with open("stats.json") as f:
            return json.load(f)

    def assert_matches(self, got, want, what):
        self.assertEqual(got.shape, want.shape, what)
        diff = np.abs(got.astype(int) - want.astype(int)).max(axis=-1)
        worst = int(np.argmax(diff))
        self.assertLessEqual(int(diff.flat[worst]), 1, f"{what}: pixel {worst} is {got.reshape(-1, 3)[worst]}, "
                             f"matplotlib gives {want.reshape(-1, 3)[worst]}")


class EveryMap(ColormapTest):

    def test_every_map_matches_matplotlib_through_lossless_rgb(self):
        names = fp.run_framepipe(["--colormap", "list"]).stdout.split("\n")
        names = [line.split()[0] for line in names if line.strip()]
        self.assertIn("viridis", names)
        self.assertIn("twilight", names)
        for seed, name in enumerate(names):
            lo, hi = (-2.5, 7.3) if seed % 2 else (0.0, 1.0)
            values = float_frame(lo, hi, seed)
            with self.subTest(map=name):
                proc = self.colour(values.tobytes(), "--colormap", name, "--range", f"{lo}:{hi}",
                                   "--nan-color", NAN, out=f"{name}.mkv")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assert_matches(decoded_rgb(f"{name}.mkv"), matplotlib_rgb(name, lo, hi, values), name)

    def test_big_frames_lent_to_a_slow_ffmpegs_pipe_stay_each_their_own(self):
        # Frames this big are handed to ffmpeg's pipe as page references (vmsplice), and their
        # buffers are reused only after ffmpeg has read them. This ffmpeg reads slowly, so a
        # buffer reused too early would give an earlier frame a later frame's colours; every
        # frame differs, so any mix-up shows.
        slow = os.path.abspath("slow-ffmpeg")
        with open(slow, "w") as f:
            f.write(f"#!{sys.executable}\nimport os, subprocess, sys, time\n"
                    "if '-encoders' in sys.argv: os.execvp('ffmpeg', ['ffmpeg'] + sys.argv[1:])\n"
                    "ff = subprocess.Popen(['ffmpeg'] + sys.argv[1:], stdin=subprocess.PIPE, pass_fds=(3,))\n"
                    "while chunk := os.read(0, 1 << 16):\n"
                    "    time.sleep(0.002)\n"
                    "    ff.stdin.write(chunk)\n"
                    "ff.stdin.close()\nsys.exit(ff.wait())\n")
        os.chmod(slow, 0o755)
        w, h, frames = 1280, 720, 10
        rng = np.random.default_rng(7)
        values = rng.uniform(-0.2, 1.2, (frames, w * h)).astype("<f4")
        proc = self.colour(values.tobytes(), "--colormap", "magma", "--range", "0:1", "--nan-color", NAN,
                           "--ffmpeg", slow, size=f"{w}x{h}", out="big.mkv")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        got = decoded_rgb("big.mkv", frames)
        for i in range(frames):
            self.assert_matches(got[i], matplotlib_rgb("magma", 0.0, 1.0, values[i]), f"frame {i}")

    def test_default_range_and_nan_colour(self):
        values = float_frame(0.0, 1.0, 11)
        proc = self.colour(values.tobytes(), "--colormap", "viridis")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assert_matches(decoded_rgb("out.mkv"), matplotlib_rgb("viridis", 0, 1, values, bad="black"), "default")
        self.assertEqual(self.stats()["colormap"], {"name": "viridis", "range": [0.0, 1.0], "range_from": "default"})

    def test_gray16le_and_gray_take_raw_integers(self):
        for pix_fmt, dtype, lo, hi in (("gray16le", "<u2", 1000, 40000), ("gray", "u1", 10, 200)):
            values = np.random.default_rng(5).integers(0, np.iinfo(dtype).max + 1, W * H).astype(dtype)
            values[:256] = np.linspace(0, np.iinfo(dtype).max, 256).astype(dtype)
            with self.subTest(pix_fmt=pix_fmt):
                proc = self.colour(values.tobytes(), "--colormap", "turbo", "--range", f"{lo}:{hi}", pix_fmt=pix_fmt,
                                   out=f"{pix_fmt}.mkv")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assert_matches(decoded_rgb(f"{pix_fmt}.mkv"), matplotlib_rgb("turbo", lo, hi, values), pix_fmt)
                self.assertEqual(self.stats()["colormap"]["range_from"], "given")

    def test_dry_run_tells_ffmpeg_the_coloured_format(self):
        proc = fp.run_framepipe(["-s", "64x48", "--pix-fmt", "grayf32le", "--colormap", "gray", "-p", "ffv1",
                                 "--dry-run", "out.mkv"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("-f rawvideo -pix_fmt rgb24 -s 64x48", proc.stdout)
        proc = fp.run_framepipe(["-s", "63x47", "--pix-fmt", "gray16le", "--colormap", "gray", "--convert", "ffmpeg",
                                 "--dry-run", "out.mp4"])
        self.assertIn("-f rawvideo -pix_fmt rgb24 -s 63x47", proc.stdout)


class AutoRange(ColormapTest):

    def test_auto_takes_the_first_frames_min_and_max(self):
        rng = np.random.default_rng(8)
        frames = rng.normal(20.0, 5.0, (3, W * H)).astype("<f4")
        frames[0, :50] = np.nan
        frames[0, 60] = np.inf
        frames[1:] *= 3  # later frames go beyond the first one's range: clamped, not re-ranged
        proc = self.colour(frames.tobytes(), "--colormap", "magma", "--range", "auto")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        finite = frames[0][np.isfinite(frames[0])]
        lo, hi = float(finite.min()), float(finite.max())
        self.assertEqual(self.stats()["colormap"], {"name": "magma", "range": [lo, hi], "range_from": "auto:1",
                                                    "range_frames": 1, "range_had_finite_values": True})
        self.assertIn(f"framepipe: --range auto:1: coloured with the range {str(np.float32(lo))}:{str(np.float32(hi))}, "
                      "from the first frame", proc.stderr)
        got = decoded_rgb("out.mkv", 3)
        for i in range(3):
            self.assert_matches(got[i], matplotlib_rgb("magma", lo, hi, frames[i], bad="black"), f"frame {i}")
        self.assertEqual(self.stats()["frames_read"], 3)

    def test_auto_n_holds_frames_and_colours_them_all_with_the_final_range(self):
        frames = np.stack([np.linspace(-i, i, W * H) for i in range(1, 6)]).astype("<f4")  # widening ranges
        proc = self.colour(frames.tobytes(), "--colormap", "coolwarm", "--range", "auto:3", "-q")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        self.assertEqual(self.stats()["colormap"]["range"], [-3.0, 3.0])
        self.assertEqual(self.stats()["colormap"]["range_frames"], 3)
        got = decoded_rgb("out.mkv", 5)
        for i in range(5):
            self.assert_matches(got[i], matplotlib_rgb("coolwarm", -3, 3, frames[i], bad="black"), f"frame {i}")

    def test_input_ending_before_n_frames_takes_the_range_from_what_came(self):
        frames = np.stack([np.full(W * H, 2.0), np.full(W * H, 6.0)]).astype("<f4")
        proc = self.colour(frames.tobytes(), "--colormap", "viridis", "--range", "auto:10")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        c = self.stats()["colormap"]
        self.assertEqual((c["range"], c["range_frames"], c["range_from"]), ([2.0, 6.0], 2, "auto:10"))
        self.assertEqual(fp.frames_in("out.mkv"), 2)

    def test_all_nan_first_frame_uses_0_to_1_and_says_so(self):
        frames = np.full((2, W * H), np.nan, "<f4")
        frames[1] = np.linspace(-0.5, 1.5, W * H)
        proc = self.colour(frames.tobytes(), "--colormap", "gray", "--range", "auto")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("framepipe: --range auto:1: the first frame held no finite value (only NaN or "
                      "infinities): coloured with the range 0:1", proc.stderr)
        c = self.stats()["colormap"]
        self.assertEqual((c["range"], c["range_had_finite_values"]), ([0.0, 1.0], False))
        got = decoded_rgb("out.mkv", 2)
        self.assertTrue((got[0] == 0).all())
        self.assert_matches(got[1], matplotlib_rgb("gray", 0, 1, frames[1], bad="black"), "frame 2")

    def test_a_range_too_wide_for_floats_is_refused_with_what_to_do(self):
        frame = np.zeros(W * H, "<f4")
        frame[:2] = (-3e38, 3e38)
        proc = self.colour(frame.tobytes() * 2, "--colormap", "gray", "--range", "auto")
        self.assertEqual(proc.returncode, fp.EXIT_INPUT, proc.stderr)
        self.assertEqual(proc.stderr.strip(), "framepipe: error: reading stdin failed before a whole frame arrived: "
                         "cannot colour with the range -3e+38:3e+38 of the first frame: HI - LO is more than 32-bit "
                         "floats can hold (3.4e38); give --range LO:HI; nothing was written")
        self.assertFalse(os.path.exists("out.mkv"))

    def test_partial_last_frame_while_holding(self):
        data = np.linspace(0, 1, W * H).astype("<f4").tobytes()
        for args in (("--range", "auto:4"), ("--range", "0:1")):
            with self.subTest(args=args):
                proc = self.colour(data * 2 + data[:100], "--colormap", "gray", *args)
                self.assertEqual(proc.returncode, fp.EXIT_INPUT, proc.stderr)
                self.assertIn(f"framepipe: error: input ended 100 bytes into frame 3 (frame = {W * H * 4} bytes): "
                              f"check --size and --pix-fmt (now {W}x{H} grayf32le); the 2 whole frames were kept",
                              proc.stderr)
                self.assertEqual(fp.frames_in("out.mkv"), 2)
                os.unlink("out.mkv")


class Guarantees(ColormapTest):

    def interrupted(self, frames_written, range_arg):
        """framepipe colouring `frames_written` frames from a producer that then stalls, SIGINT."""
        frame = np.linspace(0, 1, W * H).astype("<f4").tobytes()
        producer = subprocess.Popen([sys.executable, "-c", "import sys, time\n"
                                     f"sys.stdout.buffer.write(sys.stdin.buffer.read()); sys.stdout.flush(); time.sleep(60)"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        producer.stdin.write(frame * frames_written)
        producer.stdin.close()
        proc = fp.start_framepipe(["-s", f"{W}x{H}", "--pix-fmt", "grayf32le", "--colormap", "viridis",
                                   "--range", range_arg, "-p", "ffv1", "out.mkv"], stdin=producer.stdout)
        producer.stdout.close()
        try:
            fp.ffmpeg_child_of(proc.pid)
            time.sleep(1.5)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
        finally:
            producer.kill()
            producer.wait()
        return proc.returncode, err.decode(errors="replace")

    def test_a_signal_keeps_the_coloured_frames(self):
        status, err = self.interrupted(5, "auto:2")
        self.assertEqual(status, 130, err)
        self.assertIn("interrupted by SIGINT: kept the 5 frames received before it", err)
        self.assertEqual(fp.frames_in("out.mkv"), 5)

    def test_a_signal_while_frames_are_held_writes_nothing(self):
        status, err = self.interrupted(3, "auto:10")
        self.assertEqual(status, 130, err)
        self.assertIn("framepipe: interrupted before a whole frame arrived; nothing was written", err)
        self.assertEqual(os.listdir("."), [])

    def test_an_existing_output_is_not_replaced(self):
        with open("out.mkv", "w") as f:
            f.write("keep me")
        proc = self.colour(np.zeros(W * H, "<f4").tobytes(), "--colormap", "gray")
        self.assertEqual(proc.returncode, fp.EXIT_OUTPUT, proc.stderr)
        with open("out.mkv") as f:
            self.assertEqual(f.read(), "keep me")


class ThroughH264(ColormapTest):

    def test_default_preset_converts_the_colours_to_tagged_yuv(self):
        frames = np.stack([float_frame(0, 1, i) for i in range(12)])
        proc = self.colour(frames.tobytes(), "--colormap", "viridis", "--range", "0:1", "-v", preset="x264-superfast-crf17",
                           out="out.mp4")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("converting grayf32le coloured by viridis into rgb24 to yuv420p", proc.stderr)
        stream, _ = fp.ffprobe("out.mp4")
        self.assertEqual((stream["codec_name"], stream["pix_fmt"], int(stream["nb_read_frames"])), ("h264", "yuv420p", 12))
        self.assertEqual((stream["color_primaries"], stream["color_transfer"], stream["color_space"]),
                         ("bt709", "bt709", "bt709"))
        self.assertEqual(self.stats()["conversion"], "framepipe")
        self.assertEqual(self.stats()["frame_bytes"], W * H * 4)


class Errors(ColormapTest):

    def usage(self, *args, pix_fmt="grayf32le"):
        proc = fp.run_framepipe(["-s", f"{W}x{H}", "--pix-fmt", pix_fmt, *args, "out.mp4"])
        self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
        self.assertFalse(os.path.exists("out.mp4"))
        return proc.stderr.strip()

    def test_messages(self):
        self.assertEqual(self.usage("--colormap", "Viridis"),
                         "framepipe: error: unknown colormap 'Viridis': the names are case-sensitive, write 'viridis'")
        self.assertTrue(self.usage("--colormap", "rainbow").startswith(
            "framepipe: error: unknown colormap 'rainbow': use one of viridis, "))
        self.assertEqual(self.usage("--colormap", "gray", pix_fmt="rgba"),
                         "framepipe: error: a colormap colours one value per pixel, not rgba pixels: use --pix-fmt "
                         "grayf32le, gray16le or gray")
        self.assertEqual(self.usage("--range", "0:1"),
                         "framepipe: error: --range applies only with --colormap: add --colormap NAME "
                         "(--colormap list names the maps)")
        self.assertEqual(self.usage("--nan-color", "red"),
                         "framepipe: error: --nan-color applies only with --colormap: add --colormap NAME "
                         "(--colormap list names the maps)")
        self.assertEqual(self.usage("--colormap", "gray", "--range", "1:0"),
                         "framepipe: error: invalid range '1:0': LO must be less than HI")
        self.assertEqual(self.usage("--colormap", "gray", "--range", "0-1"),
                         "framepipe: error: invalid range '0-1': write LO:HI (e.g. 0:1 or -2.5:40), auto or auto:N")
        self.assertEqual(self.usage("--colormap", "gray", "--nan-color", "#12345"),
                         "framepipe: error: invalid NaN colour '#12345': write #rrggbb (e.g. #ff00ff) or one of "
                         "black, white, gray, grey, red, green, blue, magenta, cyan, yellow")

    def test_auto_n_beyond_the_memory_cap(self):
        proc = fp.run_framepipe(["-s", "1920x1080", "--pix-fmt", "grayf32le", "--colormap", "gray", "--range",
                                 "auto:200", "out.mp4"])
        self.assertEqual(proc.returncode, fp.EXIT_USAGE)
        self.assertEqual(proc.stderr.strip(),
                         "framepipe: error: --range auto:200 would hold 1582 MiB of frames (8294400 bytes each) before "
                         "colouring; at most 1024 MiB are held: use auto:129 or fewer, or give --range LO:HI")

    def test_list_and_help(self):
        proc = fp.run_framepipe(["--colormap", "list"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"(?m)^  viridis +\S")
        self.assertIn("--colormap", fp.run_framepipe(["--help"]).stdout)


class CookbookExample(fp.TempDirTest):

    def test_classic_rand_animation_in_gray(self):
        env = fp.framepipe_env({"FRAMEPIPE": fp.FRAMEPIPE})
        proc = subprocess.run([sys.executable, os.path.join(fp.SOURCE_DIR, "examples", "colormap_rand.py"),
                               "rand.mp4", "6"], env=env, stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stream, _ = fp.ffprobe("rand.mp4")
        self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])), (300, 300, 6))
        # uniform noise in gray: channels equal (up to the YUV round trip), mean half way
        rgb = decoded_rgb("rand.mp4", 6).astype(int)
        self.assertLessEqual(np.abs(rgb[..., 0] - rgb[..., 2]).mean(), 2)
        self.assertAlmostEqual(rgb.mean() / 255, 0.5, delta=0.03)


if __name__ == "__main__":
    unittest.main()
