#!/usr/bin/python3
"""The Python package against what Python users do today (issue 16), side by side.

Usage: bench/python_bench.py BUILD_DIR [--rounds N] [--only SECTION,...] [--frames N]

Sections, each a ratio of wall times (the first variant's over the second's):
  animation  the classic 300-frame rand(300,300) FuncAnimation (500x500 pixels) saved with
             writer="framepipe" (its defaults) / writer="ffmpeg" (matplotlib's defaults)
  same-args  the same animation, both writers given the very ffmpeg arguments of framepipe's
             default preset: FramepipeWriter / FFMpegWriter
  arrays     300 numpy 1280x720 rgb24 frames (moving gradients): framepipe.Writer / subprocess.Popen writing them
             into `ffmpeg -f rawvideo` with the same arguments

Every variant runs as a fresh Python process (start-up, imports and all), in rounds whose order
alternates (A B, B A, ...) so that load from elsewhere hits both alike; the report gives the
median of the per-round ratios and the median wall time of each variant. Only the standard
library, Debian's numpy, matplotlib and ffmpeg are used.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TARGETS = {"animation": 0.5, "same-args": 1.0, "arrays": 1.0}

ANIMATION = """
import sys
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.animation as animation
import framepipe.mpl

fig, ax = plt.subplots(figsize=(5, 5), dpi=100)
im = ax.imshow(np.random.rand(300, 300), animated=True)

def update(i):
    im.set_array(np.random.rand(300, 300))
    return (im,)

ani = animation.FuncAnimation(fig, update, frames={frames}, interval=33, blit=True)
ani.save(sys.argv[1], writer={writer}{fps})
"""

ARRAYS = """
import subprocess, sys
import numpy as np
import framepipe
# Smooth content (a plot or a simulation, not noise) so the encoder is not all there is to time.
y, x = np.mgrid[0:720, 0:1280]
base = np.dstack([x * 255 // 1279, y * 255 // 719, (x + y) * 255 // 1998]).astype(np.uint8)
frames = [np.roll(base, 16 * i, axis=1) for i in range(10)]
{body}
"""
ARRAYS_WRITER = """
with framepipe.Writer(sys.argv[1], fps=30) as w:
    for i in range({frames}):
        w.write(frames[i % len(frames)])
"""
ARRAYS_POPEN = """
proc = subprocess.Popen(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
                         "-s", "1280x720", "-r", "30", "-i", "-", *{args!r}, sys.argv[1]], stdin=subprocess.PIPE)
for i in range({frames}):
    proc.stdin.write(frames[i % len(frames)])
proc.stdin.close()
sys.exit(proc.wait())
"""


def preset_args(framepipe, size, pix_fmt):
    """The ffmpeg output options of framepipe's default preset, from its --dry-run."""
    out = subprocess.run([framepipe, "-s", size, "--pix-fmt", pix_fmt, "--dry-run", "x.mp4"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    argv = shlex.split(out)
    return argv[argv.index("-i") + 2:argv.index("-f", argv.index("-i"))]


def scripts(framepipe, frames):
    mpl_args = preset_args(framepipe, "500x500", "rgba")
    ffmpeg_same = f'animation.FFMpegWriter(fps=30, codec="libx264", extra_args={mpl_args!r})'
    by_name = lambda name: ANIMATION.format(frames=frames, writer=f'"{name}"', fps=", fps=30")  # noqa: E731
    instance = lambda writer: ANIMATION.format(frames=frames, writer=writer, fps="")  # noqa: E731
    arrays_args = preset_args(framepipe, "1280x720", "rgb24")
    return {
        "animation": [("framepipe", by_name("framepipe")), ("ffmpeg", by_name("ffmpeg"))],
        "same-args": [("FramepipeWriter", instance("framepipe.mpl.FramepipeWriter(fps=30)")),
                      ("FFMpegWriter", instance(ffmpeg_same))],
        "arrays": [("Writer", ARRAYS.format(body=ARRAYS_WRITER.format(frames=frames))),
                   ("Popen", ARRAYS.format(body=ARRAYS_POPEN.format(frames=frames, args=arrays_args)))],
    }


def run(script, workdir, env):
    out = os.path.join(workdir, "out.mp4")
    if os.path.exists(out):
        os.remove(out)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script, out], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0 or not os.path.exists(out):
        raise SystemExit(f"a variant failed (exit {proc.returncode}):\n{proc.stderr}")
    return wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", help="the build directory holding framepipe")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--only", default=",".join(TARGETS))
    args = ap.parse_args()
    framepipe = os.path.abspath(os.path.join(args.build, "framepipe"))
    env = dict(os.environ, FRAMEPIPE=framepipe, MPLBACKEND="Agg",
               PYTHONPATH=os.path.join(REPO, "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    all_scripts = scripts(framepipe, args.frames)
    with tempfile.TemporaryDirectory(prefix="framepipe-pybench-") as workdir:
        for section in args.only.split(","):
            (name_a, a), (name_b, b) = all_scripts[section]
            walls = {name_a: [], name_b: []}
            ratios = []
            for r in range(args.rounds):
                order = [(name_a, a), (name_b, b)] if r % 2 == 0 else [(name_b, b), (name_a, a)]
                times = {name: run(script, workdir, env) for name, script in order}
                for name, t in times.items():
                    walls[name].append(t)
                ratios.append(times[name_a] / times[name_b])
                print(f"  {section} round {r + 1}: {name_a} {times[name_a]:.2f} s, {name_b} {times[name_b]:.2f} s",
                      file=sys.stderr, flush=True)
            ratio = statistics.median(ratios)
            verdict = "meets" if ratio <= TARGETS[section] else "MISSES"
            print(f"{section}: {name_a} {statistics.median(walls[name_a]):.2f} s / {name_b} "
                  f"{statistics.median(walls[name_b]):.2f} s (medians of {args.rounds} rounds); median ratio "
                  f"{ratio:.2f} (range {min(ratios):.2f}-{max(ratios):.2f}), target at most "
                  f"{TARGETS[section]:.2f}: {verdict}", flush=True)


if __name__ == "__main__":
    main()
