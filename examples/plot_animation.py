#!/usr/bin/python3
"""Render an animated matplotlib plot and pipe its pixels to framepipe.

Each frame is drawn with the Agg backend, and the figure's RGBA pixels
(fig.canvas.buffer_rgba()) are written to framepipe's stdin as one raw frame. No image files,
no PNG encoding: framepipe and ffmpeg turn the stream into a video.

    /usr/bin/python3 examples/plot_animation.py plot.mp4
    /usr/bin/python3 examples/plot_animation.py --size 1280x720 --fps 60 --frames 300 plot.mp4
    /usr/bin/python3 examples/plot_animation.py --raw | build/framepipe -s 640x360 --fps 30 plot.mp4

Needs Debian's python3-matplotlib (and python3-numpy). framepipe is looked for with --framepipe,
then $FRAMEPIPE, then build/framepipe in this repository, then on PATH.
"""
import argparse
import os
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # draw off-screen: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def find_framepipe():
    if os.environ.get("FRAMEPIPE"):
        return os.environ["FRAMEPIPE"]
    here = os.path.dirname(os.path.abspath(__file__))
    in_repo = os.path.join(here, "..", "build", "framepipe")
    if os.access(in_repo, os.X_OK):
        return os.path.normpath(in_repo)
    return shutil.which("framepipe") or "framepipe"


def parse_size(text):
    w, _, h = text.partition("x")
    return int(w), int(h)


def frames(width, height, count, fps):
    """Yields the RGBA bytes of each frame: a travelling wave with a marker and a live title."""
    dpi = 100
    # figsize is in inches: width/dpi by height/dpi gives exactly width x height pixels.
    fig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi)
    x = np.linspace(0, 4 * np.pi, 400)
    (wave,) = ax.plot(x, np.sin(x), color="tab:blue", linewidth=1.5)
    (envelope,) = ax.plot(x, np.exp(-x / 8), color="tab:red", linewidth=1, linestyle="--")
    (marker,) = ax.plot([0], [0], "o", color="tab:green")
    ax.set_xlim(0, 4 * np.pi)
    ax.set_ylim(-1.2, 1.2)
    ax.grid(True, linewidth=0.5)
    ax.set_xlabel("x")
    title = ax.set_title("t = 00.00 s")  # a stand-in, so tight_layout leaves room for it
    fig.tight_layout()

    for i in range(count):
        t = i / fps
        y = np.sin(x - 2 * t) * np.exp(-x / 8)
        wave.set_ydata(y)
        k = int(i * 7) % len(x)
        marker.set_data([x[k]], [y[k]])
        envelope.set_ydata(np.exp(-x / 8) * np.cos(t))
        title.set_text(f"t = {t:5.2f} s")
        fig.canvas.draw()
        buf = fig.canvas.buffer_rgba()  # width*height*4 bytes, top row first
        yield bytes(buf)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", nargs="?", help="the video to write (omit with --raw)")
    ap.add_argument("--size", default="640x360", help="frame size WxH (default 640x360)")
    ap.add_argument("--fps", type=float, default=30, help="frames per second (default 30)")
    ap.add_argument("--frames", type=int, default=90, help="number of frames (default 90)")
    ap.add_argument("--preset", help="framepipe preset (default: framepipe's default)")
    ap.add_argument("--framepipe", default=None, help="the framepipe program to run")
    ap.add_argument("--raw", action="store_true", help="write raw RGBA frames to stdout instead")
    args = ap.parse_args()
    width, height = parse_size(args.size)

    if args.raw:
        out = sys.stdout.buffer
        try:
            for frame in frames(width, height, args.frames, args.fps):
                out.write(frame)
            out.flush()
        except BrokenPipeError:
            return 1
        return 0

    if not args.output:
        ap.error("give an OUTPUT file, or --raw to write frames to stdout")
    cmd = [args.framepipe or find_framepipe(), "--size", f"{width}x{height}", "--pix-fmt", "rgba",
           "--fps", f"{args.fps:g}", "--overwrite"]
    if args.preset:
        cmd += ["--preset", args.preset]
    cmd.append(args.output)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    try:
        for frame in frames(width, height, args.frames, args.fps):
            proc.stdin.write(frame)
    except BrokenPipeError:
        pass  # framepipe stopped early; its exit status below says why
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    # framepipe's own exit status: 0 means the video is complete (see its exit-code table).
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
