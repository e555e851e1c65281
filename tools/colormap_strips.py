#!/usr/bin/python3
"""Draws docs/images/colormaps/NAME.png, one strip per colormap, with framepipe's own kernels.

The strips show what framepipe produces, not matplotlib's rendering: a horizontal float
gradient from 0 to 1 goes through the test probe (tests/support/colormap_probe, built with the
tests) and ffmpeg writes the rgb24 result as PNG. Run after a build:

    /usr/bin/python3 tools/colormap_strips.py build/tests/colormap_probe docs/images/colormaps
"""
import os
import subprocess
import sys

import numpy as np

WIDTH, HEIGHT = 512, 24


def strip(probe, name):
    row = np.linspace(0.0, 1.0, WIDTH, dtype=np.float32)
    values = np.tile(row, (HEIGHT, 1))
    return subprocess.run([probe, "colour", name, "0:1", "black", "grayf32le", "float64", "rgb24"],
                          input=values.tobytes(), stdout=subprocess.PIPE, check=True).stdout


def write_png(rgb, path):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                    "-s", f"{WIDTH}x{HEIGHT}", "-i", "-", "-frames:v", "1", path],
                   input=rgb, check=True)


def main():
    probe, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    names = subprocess.run([probe, "list"], stdout=subprocess.PIPE, check=True,
                           text=True).stdout.split()
    for name in names:
        if not name.endswith("_r") or name == "RdBu_r":
            write_png(strip(probe, name), os.path.join(out_dir, name + ".png"))


if __name__ == "__main__":
    main()
