#!/usr/bin/python3
"""Joining segments (issue 18): does `framepipe concat` cost at most 2% of the time it took to
encode the segments, and does its own memory stay under 64 MiB?

Usage: bench/concat.py BUILD_DIR [--segments 20] [--frames 300] [--runs 5] [--preset NAME]

Encodes SEGMENTS windows of FRAMES frames of 1280x720 60 fps test pattern (framepipe-testsrc
--labels, the main benchmark's content, piped as a renderer would) one after another with `framepipe --segment-start`, each
timed from starting the producer to framepipe's exit (wall) and by wait4() (CPU of framepipe and
ffmpeg, not of the producer); then joins them RUNS times into a fresh output, measured the same
way (CPU: framepipe, its ffprobes and its ffmpeg). On a shared machine the wall ratio moves with
the load (an encode waits for CPU, a join mostly for process start-up and the disk); the CPU
ratio does not. framepipe's own peak RSS is its VmHWM in /proc/PID/status,
read every 10 ms until it exits: that is framepipe alone, not the ffmpeg and ffprobe it runs
(whose memory is theirs and does not grow with the number of segments either: they stream).
It prints the encode totals, the median join and both ratios, and the peak RSS, for the segment
count asked and for a quarter of it (memory must not grow with the number of segments).
Only the Python standard library is used; BENCH_TMPDIR says where the segments go.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

W, H, FPS = 1280, 720, 60


def vm_hwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


def timed(argv, stdin=None):
    """Runs argv to completion; returns (wall seconds, CPU seconds, framepipe's peak RSS in KiB).

    CPU is wait4()'s user + system time: framepipe's and that of the ffmpeg and ffprobe it ran and
    reaped, not the producer's."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        peak = max(peak, vm_hwm_kib(proc.pid) or 0)
        time.sleep(0.01)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}); run it by hand to see why")
    return wall, usage.ru_utime + usage.ru_stime, peak


def encode(build, directory, index, frames, preset):
    first = index * frames
    # Every window shows the pattern's first FRAMES frames: the join's cost does not depend on what
    # the frames show, and the test pattern cannot start at a later frame without drawing the ones
    # before it.
    producer = subprocess.Popen([os.path.join(build, "framepipe-testsrc"), "-s", f"{W}x{H}", "-r", str(FPS),
                                 "-n", str(frames), "--labels"], stdout=subprocess.PIPE)
    out = os.path.join(directory, f"part-{first}.mp4")
    wall, cpu, _ = timed([os.path.join(build, "framepipe"), "-q", "-s", f"{W}x{H}", "-r", str(FPS), "-p", preset,
                     "--segment-start", str(first), out], stdin=producer.stdout)
    producer.stdout.close()
    producer.wait()
    return wall, cpu, out


def join(build, directory, parts, runs):
    walls, cpus, peaks = [], [], []
    for r in range(runs):
        out = os.path.join(directory, f"joined-{len(parts)}-{r}.mp4")
        wall, cpu, peak = timed([os.path.join(build, "framepipe"), "concat", "-q", out, *parts])
        os.remove(out)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return walls, cpus, max(peaks)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--segments", type=int, default=20)
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--preset", default="x264-superfast-crf17")
    a = ap.parse_args()
    directory = tempfile.mkdtemp(prefix="framepipe-concat-bench-", dir=os.environ.get("BENCH_TMPDIR"))
    try:
        encode_walls, encode_cpus, parts = [], [], []
        for i in range(a.segments):
            wall, cpu, part = encode(a.build, directory, i, a.frames, a.preset)
            encode_walls.append(wall)
            encode_cpus.append(cpu)
            parts.append(part)
        size = sum(os.path.getsize(p) for p in parts)
        print(f"load average before the joins: {os.getloadavg()[0]:.1f}")
        print(f"encode: {a.segments} segments x {a.frames} frames {W}x{H}@{FPS} ({a.preset}), "
              f"{size / 1e6:.1f} MB: wall {sum(encode_walls):.1f} s, framepipe+ffmpeg CPU "
              f"{sum(encode_cpus):.1f} s in all (per segment median wall {statistics.median(encode_walls):.2f} s, "
              f"CPU {statistics.median(encode_cpus):.2f} s)")
        for count in sorted({max(2, a.segments // 4), a.segments}):
            walls, cpus, peak = join(a.build, directory, parts[:count], a.runs)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            print(f"concat {count} segments, median of {a.runs} runs: wall {wall:.3f} s "
                  f"(min {min(walls):.3f}, max {max(walls):.3f}) = {100 * wall / sum(encode_walls[:count]):.2f}% "
                  f"of their encode wall time; CPU {cpu:.3f} s = {100 * cpu / sum(encode_cpus[:count]):.2f}% "
                  f"of their encode CPU; framepipe peak RSS {peak / 1024:.1f} MiB")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
