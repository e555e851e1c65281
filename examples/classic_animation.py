#!/usr/bin/python3
"""The classic matplotlib animation, 300 frames of rand(300, 300), saved through framepipe.

The only change from the script everybody copies is the import and writer="framepipe":

    /usr/bin/python3 examples/classic_animation.py          # writes rand.mp4 here

Needs Debian's python3-matplotlib, framepipe's Python package (make install) and the framepipe
program.
"""
import matplotlib.animation as animation
import matplotlib.pyplot as plt
import numpy as np

import framepipe.mpl  # noqa: F401 - registers writer="framepipe"

fig, ax = plt.subplots(figsize=(5, 5))  # 500x500 pixels at matplotlib's 100 dpi
im = ax.imshow(np.random.rand(300, 300), animated=True)


def update(i):
    im.set_array(np.random.rand(300, 300))
    return (im,)


ani = animation.FuncAnimation(fig, update, frames=300, interval=33, blit=True)
ani.save("rand.mp4", writer="framepipe", fps=30)
