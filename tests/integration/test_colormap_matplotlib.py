"""framepipe's colormap kernels against matplotlib itself, pixel by pixel, for every map.

The kernels run in tests/support/colormap_probe (values on stdin, rgb24 on stdout); matplotlib
colours the same values with `cmap(Normalize(lo, hi)(masked_invalid(v)), bytes=True)`, which is
what imshow does with NaN and infinities. Every pixel must be within 1 level (the issue's bound).

matplotlib's arithmetic on float32 data follows numpy's type promotion: numpy 1.x computes in
float32, numpy 2 in float64 rounded to float32 (NEP 50), and the two pick neighbouring colormap
levels for a few values per million that sit on a level boundary. The kernels reproduce either
(framepipe uses numpy 2's); each is compared with matplotlib under the matching promotion: numpy's
native one, and the other where numpy can switch (numpy 1.24's `_set_promotion_state`).
"""
import contextlib
import os
import subprocess
import unittest

import numpy as np
from matplotlib import colormaps, colors

PROBE = os.environ.get("COLORMAP_PROBE", "colormap_probe")
NAN_COLOUR = "#ff00ff"
RANGES = [(0.0, 1.0), (-2.5, 7.3), (273.15, 373.15), (-1e-3, 2e-3)]
NATIVE = "float64" if int(np.__version__.split(".")[0]) >= 2 else "float32"


@contextlib.contextmanager
def numpy_promotion(arithmetic):
    """numpy set to the promotion whose matplotlib arithmetic is `arithmetic`, or SkipTest."""
    if arithmetic == NATIVE:
        yield
        return
    if not (hasattr(np, "_set_promotion_state") and hasattr(np, "_get_promotion_state")):
        raise unittest.SkipTest(f"this numpy cannot switch to {arithmetic} promotion")
    before = np._get_promotion_state()
    np._set_promotion_state("weak" if arithmetic == "float64" else "legacy")
    try:
        yield
    finally:
        np._set_promotion_state(before)


def probe_colours(name, lo_hi, values, pix_fmt, arithmetic, layout="rgb24"):
    proc = subprocess.run([PROBE, "colour", name, lo_hi, NAN_COLOUR, pix_fmt, arithmetic, layout],
                          input=values.tobytes(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=True)
    return np.frombuffer(proc.stdout, np.uint8).reshape(-1, 4 if layout == "rgba" else 3)


def matplotlib_colours(name, lo, hi, values):
    cmap = colormaps[name].with_extremes(bad=NAN_COLOUR)
    with np.errstate(over="ignore"):  # 3e38 * N overflows to inf: the last colour, as intended
        normalized = colors.Normalize(lo, hi)(np.ma.masked_invalid(values))
        return np.asarray(cmap(normalized, bytes=True))[:, :3]


def boundary_values(lo, hi, levels):
    """Each level boundary as float32 and its float32 neighbours: where arithmetic matters."""
    edges = (lo + (hi - lo) * np.arange(levels + 1) / levels).astype(np.float32)
    return np.concatenate([np.nextafter(edges, np.float32(-np.inf)), edges,
                           np.nextafter(edges, np.float32(np.inf))])


def float_inputs(lo, hi, levels, seed):
    rng = np.random.default_rng(seed)
    margin = 0.15 * (hi - lo)
    gradient = np.linspace(lo - margin, hi + margin, 8192)
    field = rng.uniform(lo - margin, hi + margin, 256 * 256)
    specials = [np.nan, np.inf, -np.inf, -0.0, 0.0, 3e38, -3e38, 1e-40, -1e-40, lo, hi]
    return np.concatenate([gradient, field, boundary_values(lo, hi, levels), specials]).astype(np.float32)


def map_names():
    out = subprocess.run([PROBE, "list"], stdout=subprocess.PIPE, check=True, text=True).stdout
    return out.split()


class ColormapsMatchMatplotlib(unittest.TestCase):

    def assert_within_one_level(self, got, want, what):
        self.assertEqual(got.shape, want.shape, what)
        diff = np.abs(got.astype(int) - want.astype(int)).max(axis=1)
        worst = int(np.argmax(diff))
        self.assertLessEqual(int(diff[worst]), 1, f"{what}: pixel {worst} is {got[worst]}, "
                             f"matplotlib gives {want[worst]}")

    def check_floats(self, arithmetic):
        with numpy_promotion(arithmetic):
            for seed, name in enumerate(map_names()):
                levels = colormaps[name].N
                for lo, hi in RANGES:
                    values = float_inputs(lo, hi, levels, seed)
                    with self.subTest(map=name, range=(lo, hi)):
                        got = probe_colours(name, f"{lo!r}:{hi!r}", values, "grayf32le", arithmetic)
                        self.assert_within_one_level(got, matplotlib_colours(name, lo, hi, values),
                                                     f"{name} {lo}:{hi} {arithmetic}")

    def test_floats_with_numpy2_arithmetic(self):
        self.check_floats("float64")

    def test_floats_with_numpy1_arithmetic(self):
        self.check_floats("float32")

    def test_framepipe_arithmetic_is_exact_at_level_boundaries(self):
        # Within 1 level could hide a neighbouring level of a map whose levels differ by 1; with
        # the matching arithmetic the boundaries must come out exactly as matplotlib's.
        with numpy_promotion("float64"):
            for name in ("gray", "turbo", "twilight"):
                levels = colormaps[name].N
                for lo, hi in RANGES:
                    values = boundary_values(lo, hi, levels)
                    got = probe_colours(name, f"{lo!r}:{hi!r}", values, "grayf32le", "float64")
                    want = matplotlib_colours(name, lo, hi, values)
                    self.assertTrue(np.array_equal(got, want), f"{name} {lo}:{hi}")

    def test_integer_formats_take_raw_values(self):
        # numpy hands uint8 and uint16 arrays to Normalize as float32: every value is exact.
        cases = [("gray", np.uint8, [(0, 255), (10, 200)]),
                 ("gray16le", np.dtype("<u2"), [(0, 65535), (1000, 40000)])]
        for pix_fmt, dtype, ranges in cases:
            values = np.arange(np.iinfo(dtype).max + 1).astype(dtype)
            for name in ("viridis", "turbo", "twilight", "RdBu_r"):
                for lo, hi in ranges:
                    with self.subTest(format=pix_fmt, map=name, range=(lo, hi)):
                        got = probe_colours(name, f"{lo}:{hi}", values, pix_fmt, NATIVE)
                        self.assert_within_one_level(got, matplotlib_colours(name, lo, hi, values),
                                                     f"{pix_fmt} {name} {lo}:{hi}")

    def test_rgba_layout_is_rgb24_with_opaque_alpha(self):
        values = float_inputs(0.0, 1.0, 256, 7)
        rgb = probe_colours("plasma", "0:1", values, "grayf32le", NATIVE)
        rgba = probe_colours("plasma", "0:1", values, "grayf32le", NATIVE, layout="rgba")
        self.assertTrue(np.array_equal(rgba[:, :3], rgb))
        self.assertTrue((rgba[:, 3] == 255).all())

    def test_auto_range_is_min_and_max_of_the_finite_values_of_the_first_frames(self):
        rng = np.random.default_rng(3)
        frames = rng.normal(20.0, 5.0, (4, 64 * 48)).astype(np.float32)
        frames[0, :100] = np.nan
        frames[1, 5] = np.inf
        frames[2, 7] = -np.inf
        frames[3, 9] = 1e6  # after the frames the range is taken from
        for n in (1, 3):
            out = subprocess.run([PROBE, "range", "grayf32le", str(64 * 48 * 4), str(n)],
                                 input=frames.tobytes(), stdout=subprocess.PIPE,
                                 check=True).stdout.decode().split()
            finite = frames[:n][np.isfinite(frames[:n])]
            self.assertEqual([np.float32(v) for v in out], [finite.min(), finite.max()])


if __name__ == "__main__":
    unittest.main()
