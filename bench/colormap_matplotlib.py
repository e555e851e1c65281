#!/usr/bin/python3
"""matplotlib colouring the same frames the colormap benchmark gives framepipe, the way a figure
loop does it: one imshow + savefig per frame, at the frame's own size (one figure pixel per value),
saved as raw RGBA so that no PNG compression is counted.

Usage: colormap_matplotlib.py FILE WIDTH HEIGHT FRAMES MAP LO HI
Prints: FRAMES SECONDS (wall time of the loop, figure set up outside it)."""
import io
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    path, w, h, frames, name, lo, hi = sys.argv[1:8]
    w, h, frames, lo, hi = int(w), int(h), int(frames), float(lo), float(hi)
    data = np.fromfile(path, "<f4", count=w * h * frames).reshape(frames, h, w)
    fig = plt.figure(figsize=(w / 100, h / 100), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    im = ax.imshow(data[0], cmap=name, vmin=lo, vmax=hi, interpolation="nearest")
    start = time.perf_counter()
    for frame in data:
        im.set_data(frame)
        buf = io.BytesIO()
        fig.savefig(buf, format="raw", dpi=100)
    print(frames, time.perf_counter() - start)


if __name__ == "__main__":
    main()
