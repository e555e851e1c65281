#!/usr/bin/python3
"""The classic `imshow(rand(300, 300), cmap='gray')` animation without matplotlib: the random
fields are written as 32-bit floats and framepipe colours them (--colormap gray --range 0:1), each
value getting the colour imshow(..., cmap='gray', vmin=0, vmax=1) gives it.

    /usr/bin/python3 examples/colormap_rand.py [OUTPUT [FRAMES [SEED]]]   # default rand.mp4, 300

Runs the framepipe program ($FRAMEPIPE, else framepipe on PATH); needs only numpy.
"""
import os
import subprocess
import sys

import numpy as np

SIZE = 300


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else "rand.mp4"
    frames = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else None)
    framepipe = os.environ.get("FRAMEPIPE", "framepipe")
    cmd = [framepipe, "-s", f"{SIZE}x{SIZE}", "--pix-fmt", "grayf32le", "--colormap", "gray",
           "--range", "0:1", "-r", "30", "--frames", str(frames), output]
    with subprocess.Popen(cmd, stdin=subprocess.PIPE) as proc:
        for _ in range(frames):
            # rand() as imshow gets it: float64 in [0, 1), written as the float32 framepipe reads
            proc.stdin.write(rng.random((SIZE, SIZE)).astype(np.float32).tobytes())
        proc.stdin.close()
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
