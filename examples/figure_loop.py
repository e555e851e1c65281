#!/usr/bin/python3
"""A video of a matplotlib figure updated in a plain loop, without FuncAnimation.

    /usr/bin/python3 examples/figure_loop.py sine.mp4

framepipe.write_figures calls update(i) for each frame and grabs the canvas after it; the
figure's size is the video's (framepipe pads odd sizes itself).
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import framepipe  # noqa: E402

fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=100)
x = np.linspace(0, 4 * np.pi, 400)
(line,) = ax.plot(x, np.sin(x))
ax.set_ylim(-1.2, 1.2)
title = ax.set_title("")


def update(i):
    line.set_ydata(np.sin(x - i / 10))
    title.set_text(f"frame {i}")


result = framepipe.write_figures(fig, sys.argv[1] if len(sys.argv) > 1 else "sine.mp4", range(60), update,
                                 fps=30, overwrite=True)
print(f"{result.frames} frames written to {result.path}")
