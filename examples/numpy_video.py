#!/usr/bin/python3
"""A video from numpy arrays: a simulation's state written frame by frame with framepipe.Writer.

    /usr/bin/python3 examples/numpy_video.py waves.mp4 [FRAMES]

Each frame is an HxWx3 uint8 array (rgb24); uint16, float32 and RGBA arrays work the same way.
Prints what was written; its exit status is 0 when the video is complete.
"""
import sys

import numpy as np

import framepipe


def frames(count, width=640, height=360):
    """Interfering circular waves from two moving sources, coloured by a simple ramp."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    for i in range(count):
        t = i / 30
        sources = [(width * (0.3 + 0.1 * np.sin(t)), height / 2), (width * 0.7, height * (0.5 + 0.2 * np.cos(t)))]
        field = sum(np.sin(np.hypot(x - sx, y - sy) / 8 - 4 * t) for sx, sy in sources) / 2
        level = ((field + 1) * 127.5).astype(np.uint8)
        yield np.dstack([level, 255 - level, np.full_like(level, 96)])


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "waves.mp4"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 90
    with framepipe.Writer(path, fps=30, overwrite=True, frames=count) as writer:
        for frame in frames(count):
            writer.write(frame)
    result = writer.result
    print(f"{result.frames} frames, {result.bytes} bytes, {result.encoder}: {result.path}")


if __name__ == "__main__":
    main()
