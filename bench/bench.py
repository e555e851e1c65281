#!/usr/bin/python3
"""framepipe's benchmark: does framepipe cost anything on top of a bare `| ffmpeg`? (issue 7)
And is its test-pattern producer fast enough not to be what the demo measures? (issue 13)

Usage: bench/bench.py BUILD_DIR [--pairs N] [--quick] [--out FILE] [--only SECTION,...]
       (normally through `make bench` or bench/run.sh BUILD_DIR)

Environment: BENCH_PAIRS=N (rounds per comparison, default 15, at least 5 for the targets),
BENCH_QUICK=1 (3 rounds, fewer repeats, for checking the script itself), BENCH_TMPDIR (where the
1.1 GB of content goes; default: the system temp dir), FRAMEPIPE_PRESETS_DIR (default: the repo's
presets/, read at run time), BENCH_PRESET_RUNS (encodes per preset, default 1),
BENCH_PRESET_TIMEOUT (seconds one preset's encode may take before it is skipped, default 60; 0
waits for ever).

Every comparison runs its variants in rounds, rotating the order each round (A B, B A, ...), so
load from other processes hits every variant alike; it reports the median of the per-round
ratios. Wall time runs from spawning the producer until the consumer has exited. framepipe's own
CPU time is read from /proc/PID/schedstat while it is a zombie (before it is reaped), which
counts framepipe alone; ffmpeg's is wait4()'s total minus that. Only the Python standard library
and Debian's ffmpeg are used.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

W, H, FPS, FRAMES = 1280, 720, 60, 300
FRAME_BYTES = W * H * 4
LONG_FACTOR = 10  # the long stream for the memory check: 10 x 300 frames
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# The reference relay: splice(2) over 1 MiB pipes and nothing else, measured like framepipe.
SPLICE_RELAY = [sys.executable, os.path.join(HERE, "splice_relay.py")]

TARGETS = {
    "pipe": 0.92,  # framepipe / plain shell pipe into the same ffmpeg, at most
    "input": 1.0,  # framepipe --input FILE / ffmpeg reading FILE, at most
    "cpu": 2.0,  # framepipe's CPU as % of ffmpeg's, at most
    "relay": 90.0,  # relay throughput as % of a plain pipe's, at least
    "rss_mib": 64.0,  # framepipe's peak RSS, at most
    "startup_ms": 20.0,  # extra launch-to-first-frame latency, at most
    # issue 14: framepipe converting RGB itself, against ffmpeg encoding frames already in yuv420p
    "floor_crf17": 1.15,  # framepipe -p x264-crf17 / the encoder-only floor, at most
    "floor_default": 1.10,  # framepipe (default preset) / its floor, at most
    "convert_4k_fps": 60.0,  # 3840x2160 RGBA converted for ffmpeg -f null, frames/s, at least
    "rss_4k_mib": 256.0,  # framepipe's peak RSS converting 3840x2160, at most
    # issue 19: colouring 1920x1080 grayf32le on one worker thread into a fast consumer
    "colormap_fps": 240.0,  # frames/s, at least
    "colormap_rss_mib": 64.0,  # framepipe's peak RSS colouring, at most
    # issue 15: self-describing streams
    "stream_relay": 90.0,  # a Y4M or PPM stream's relay throughput as % of raw frames', at least
    "png": 1.0,  # framepipe reading a PNG stream / ffmpeg -f png_pipe with the same output, at most
}
CM_W, CM_H, CM_FRAMES = 1920, 1080, 120
PNG_FRAMES = 60  # PNG encoding is slow: a shorter stream
# A 30-frame file (1 GB) read 4 times: 120 frames, enough that start-up is a small part.
UHD_W, UHD_H, UHD_FRAMES, UHD_REPEAT = 3840, 2160, 30, 4


class Failure(Exception):
    pass


class TimedOut(Failure):
    pass


# ---------------------------------------------------------------------------------------------
# Running one pipeline and measuring it


class Run:
    """What one pipeline run measured about its consumer (framepipe or ffmpeg)."""

    def __init__(self):
        self.wall = 0.0  # s, producer spawn to consumer exit
        self.total_cpu = 0.0  # s, consumer plus everything it reaped (wait4)
        self.own_cpu = 0.0  # s, the consumer process alone
        self.hwm_kib = 0  # VmHWM of the consumer alone, sampled while it ran
        self.threads = 1
        self.marker = None  # s from spawn to the first stderr line matching `marker`
        self.stderr = ""

    @property
    def child_cpu(self):
        return max(self.total_cpu - self.own_cpu, 0.0)


def _own_cpu(pid, threads):
    """CPU seconds of a zombie process alone, excluding the children it reaped."""
    if threads == 1:
        try:
            with open(f"/proc/{pid}/schedstat") as f:
                return int(f.read().split()[0]) / 1e9  # ns, the (only) thread's runtime
        except (OSError, ValueError, IndexError):
            pass
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime, 1/100 s resolution


def _watch_memory(pid, run, done):
    while not done.is_set():
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        run.hwm_kib = max(run.hwm_kib, int(line.split()[1]))
                    elif line.startswith("Threads:"):
                        run.threads = max(run.threads, int(line.split()[1]))
        except (OSError, ValueError):
            return
        done.wait(0.01)


def run_pipeline(consumer, producer=None, stdin_path=None, env=None, marker=None, check=True, timeout=0,
                 relay=None):
    """Runs `producer | consumer` (or `consumer < stdin_path`) and measures the consumer.

    relay: a program placed between them, `producer | relay | consumer`, measured like the rest.
    timeout: after this many seconds, SIGTERM the consumer and raise TimedOut."""
    run = Run()
    errfile = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    prod = mid = None
    if producer:
        prod = subprocess.Popen(producer, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        cin = prod.stdout
        if relay:
            mid = subprocess.Popen(relay, stdin=prod.stdout, stdout=subprocess.PIPE)
            prod.stdout.close()
            cin = mid.stdout
    elif stdin_path:
        cin = open(stdin_path, "rb")
    else:
        cin = subprocess.DEVNULL
    cons = subprocess.Popen(consumer, stdin=cin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE if marker else errfile, env=env)
    if prod or stdin_path:
        cin.close()  # the consumer's copy is the one that counts
    done = threading.Event()
    timer = None
    if timeout:
        timer = threading.Timer(timeout, lambda: (setattr(run, "timed_out", True), cons.terminate()))
        timer.start()
    watcher = threading.Thread(target=_watch_memory, args=(cons.pid, run, done), daemon=True)
    watcher.start()
    reader = None
    if marker:
        chunks = []

        def read_stderr():
            for line in cons.stderr:
                if run.marker is None and marker in line:
                    run.marker = time.perf_counter() - t0
                chunks.append(line)
            run.stderr = b"".join(chunks).decode(errors="replace")

        marker = marker.encode()
        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
    # Wait without reaping: the zombie still holds its own CPU time in /proc.
    os.waitid(os.P_PID, cons.pid, os.WEXITED | os.WNOWAIT)
    run.wall = time.perf_counter() - t0
    if timer:
        timer.cancel()
    done.set()
    watcher.join()
    run.own_cpu = _own_cpu(cons.pid, run.threads)
    _, status, usage = os.wait4(cons.pid, 0)
    cons.returncode = os.waitstatus_to_exitcode(status)
    run.total_cpu = usage.ru_utime + usage.ru_stime
    upstream = [p for p in (prod, mid) if p]
    for p in upstream:
        p.wait()
    if reader:
        reader.join()
        cons.stderr.close()
    else:
        errfile.seek(0)
        run.stderr = errfile.read().decode(errors="replace")
    errfile.close()
    if getattr(run, "timed_out", False):
        raise TimedOut(f"stopped after {timeout} s")
    if check and (cons.returncode != 0 or any(p.returncode != 0 for p in upstream)):
        raise Failure(f"{shlex.join(consumer)} failed (exit {cons.returncode}):\n{run.stderr[-3000:]}")
    return run


def rounds(variants, n, before=None):
    """Runs each variant n times, rotating the order every round. Returns {name: [Run]}."""
    names = list(variants)
    results = {name: [] for name in names}
    for i in range(n):
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            if before:
                before()
            results[name].append(variants[name]())
        print(f"    round {i + 1}/{n}: " + ", ".join(f"{k} {results[k][-1].wall:.3f} s "
                                                  f"(cpu {results[k][-1].total_cpu:.2f})" for k in names), flush=True)
    return results


def remove(*paths):
    """Deletes the files that exist among `paths`: each run starts without its output."""
    for p in paths:
        if os.path.exists(p):
            os.unlink(p)


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def ratios(a, b, key=lambda r: r.wall):
    return [key(x) / key(y) for x, y in zip(a, b)]


def spread(xs):
    return f"{min(xs):.3f}-{max(xs):.3f}" if xs else "-"


def median_interval(xs, level=0.95, resamples=4000):
    """A bootstrap confidence interval for the median of xs (resampling the rounds), seeded so a
    report reproduces from its rounds. On a noisy machine it says whether a median just over or
    under a target could be either."""
    if len(xs) < 3:
        return float("nan"), float("nan")
    rng = random.Random(1)
    meds = sorted(statistics.median(rng.choices(xs, k=len(xs))) for _ in range(resamples))
    tail = (1 - level) / 2
    return meds[int(tail * resamples)], meds[int((1 - tail) * resamples) - 1]


def with_interval(xs, interval=None):
    lo, hi = interval or median_interval(xs)
    return f"{med(xs):.3f} (95% interval {lo:.3f}-{hi:.3f})"


def ratio_target(label, xs, at_most):
    """A row of the targets table for a ratio that must stay at most `at_most`: the median of the
    rounds with its interval, whether it is met, and whether the interval leaves it undecided."""
    lo, hi = median_interval(xs)
    return label, with_interval(xs, (lo, hi)), med(xs) <= at_most, lo <= at_most <= hi


def verdict(ok, undecided=False):
    text = "**met**" if ok else "**MISSED**"
    # The median is on one side, but the rounds do not rule out the other.
    return text + " (within noise: the interval includes the target)" if undecided else text


# ---------------------------------------------------------------------------------------------
# The benchmark


class Bench:
    def __init__(self, build, pairs, quick, tmp, presets_dir):
        self.build = os.path.abspath(build)
        self.fp = os.path.join(self.build, "framepipe")
        self.testsrc = os.path.join(self.build, "framepipe-testsrc")
        self.pairs = pairs
        self.quick = quick
        self.tmp = tmp
        self.presets_dir = presets_dir
        self.env = dict(os.environ, FRAMEPIPE_PRESET_PATH=presets_dir)
        self.env.pop("FRAMEPIPE_FFMPEG", None)
        self.src = os.path.join(tmp, "source.rgba")
        self.md = []
        self.summary = []  # (target, measured, met)
        self.geometry = ["-s", f"{W}x{H}", "--pix-fmt", "rgba", "-r", str(FPS)]
        self.preset_runs = int(os.environ.get("BENCH_PRESET_RUNS", "1"))
        self.preset_timeout = int(os.environ.get("BENCH_PRESET_TIMEOUT", "45" if quick else "60"))

    def out(self, line=""):
        self.md.append(line)
        print(line, flush=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def framepipe(self, *args):
        return [self.fp, *self.geometry, *args]

    def dry_run_argv(self, output, *args):
        text = subprocess.run(self.framepipe("--dry-run", *args, output), env=self.env, check=True,
                              capture_output=True, text=True).stdout
        return shlex.split(text)

    # -- setup --------------------------------------------------------------------------------

    def machine(self):
        cpu = "unknown"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        ffv = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.splitlines()[0]
        fpv = subprocess.run([self.fp, "--version"], capture_output=True, text=True).stdout.strip()
        commit = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"], capture_output=True,
                                text=True).stdout.strip() or "unknown"
        with open("/proc/meminfo") as f:
            mem = f.readline().split()[1]
        self.load_start = os.getloadavg()
        self.out("# framepipe benchmark")
        self.out()
        self.out(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; "
                 f"{fpv} at commit {commit}")
        self.out(f"- machine: {os.cpu_count()} CPUs ({cpu}), {int(mem) // 1024} MiB RAM, "
                 f"Linux {platform.release()}")
        self.out(f"- {ffv}")
        self.out(f"- content: {FRAMES} frames {W}x{H} RGBA at {FPS} fps from framepipe-testsrc "
                 f"({FRAMES * FRAME_BYTES / 1e9:.2f} GB, in the page cache)")
        self.out(f"- {self.pairs} rounds per comparison, variant order rotated each round; "
                 f"load average at start {self.load_start[0]:.2f}")
        self.out("- a ratio is the median of the per-round ratios; \"95% interval\" is a bootstrap interval for "
                 "that median (the rounds resampled), so a target inside it is neither shown met nor missed")
        self.out()

    def generate(self):
        print(f"generating {FRAMES} frames into {self.src} ...", flush=True)
        with open(self.src, "wb") as f:
            subprocess.run([self.testsrc, "-s", f"{W}x{H}", "-r", str(FPS), "-n", str(FRAMES), "--pix-fmt", "rgba",
                            "--labels"],
                           stdout=f, check=True)
        if os.path.getsize(self.src) != FRAMES * FRAME_BYTES:
            raise Failure("framepipe-testsrc wrote a file of the wrong size")
        self.src2 = self.path("two-frames.rgba")
        with open(self.src, "rb") as f, open(self.src2, "wb") as g:
            g.write(f.read(2 * FRAME_BYTES))
        # Consumers for the relay checks; framepipe needs a non-empty output file to appear (an
        # empty one is what a program that is not ffmpeg leaves).
        self.sink = self.path("sink.sh")
        # framepipe asks its ffmpeg for `-encoders` (once per binary, then remembered): the
        # stand-ins pass that question to the real ffmpeg, as a wrapper script would.
        encoders = 'case " $* " in *" -encoders "*) exec ffmpeg "$@";; esac\n'
        with open(self.sink, "w") as f:
            f.write('#!/bin/sh\n# Stands in for ffmpeg: writes a stand-in output, then discards stdin as fast as cat can.\n'
                    + encoders + 'for a; do out=$a; done\necho stand-in > "${out#file:}"\nexec cat > /dev/null\n')
        self.null_argv = ["ffmpeg", "-nostdin", "-loglevel", "info", "-nostats", "-f", "rawvideo", "-pix_fmt",
                          "rgba", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "-", "-f", "null", "-"]
        self.ffnull = self.path("ffmpeg-null.sh")
        with open(self.ffnull, "w") as f:
            f.write('#!/bin/sh\n# ffmpeg decoding the raw frames and discarding them (-f null), whatever it is asked.\n'
                    + encoders + 'for a; do out=$a; done\necho stand-in > "${out#file:}"\nexec ' + shlex.join(self.null_argv) + "\n")
        os.chmod(self.sink, 0o755)
        os.chmod(self.ffnull, 0o755)
        # Read once so every variant starts from the page cache.
        subprocess.run(["cat", self.src], stdout=subprocess.DEVNULL, check=True)

    def floor_argv(self, output, preset):
        """ffmpeg encoding yuv420p frames with `preset`'s settings and tags: the dry-run command
        with its input said to be yuv420p and the conversion taken out of its filter chain."""
        argv = self.dry_run_argv(output, "--convert", "ffmpeg", "-p", preset)
        argv[argv.index("-pix_fmt") + 1] = "yuv420p"
        vf = argv.index("-vf") + 1
        argv[vf] = ",".join(f for f in argv[vf].split(",") if not f.startswith(("scale=", "format=", "pad=")))
        return argv

    def yuv_source(self):
        """The benchmark's frames converted once to yuv420p by ffmpeg, for the encoder-only floor."""
        if not getattr(self, "yuv", None):
            self.yuv = self.path("source.yuv")
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{W}x{H}",
                            "-i", self.src, "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd",
                            "-pix_fmt", "yuv420p", "-f", "rawvideo", "-y", self.yuv], check=True)
        return self.yuv

    # -- the targets ---------------------------------------------------------------------------

    def conversion_floor(self):
        self.out("## Colour conversion: framepipe against the encoder alone (issue 14)")
        self.out()
        self.out("The floor is ffmpeg encoding the same frames already converted to yuv420p, with the preset's "
                 "settings and tags: no conversion at all. `--convert ffmpeg` is the path framepipe took before "
                 "issue 14 (ffmpeg's single-threaded swscale).")
        self.out()
        yuv = self.yuv_source()
        for preset, target in (("x264-crf17", "floor_crf17"), (None, "floor_default")):
            name = preset or "x264-superfast-crf17"
            args = ["-p", preset] if preset else []
            fp_out, old_out, fl_out = (self.path(f"{name}-{k}.mp4") for k in ("fp", "ffconv", "floor"))
            floor = self.floor_argv(fl_out, name)

            def clean():
                remove(fp_out, old_out, fl_out)

            res = rounds({
                "floor": lambda: run_pipeline(floor, producer=["cat", yuv]),
                "framepipe": lambda: run_pipeline(self.framepipe("-q", *args, fp_out), producer=["cat", self.src],
                                                  env=self.env),
                "ffmpeg-converts": lambda: run_pipeline(self.framepipe("-q", "--convert", "ffmpeg", *args, old_out),
                                                        producer=["cat", self.src], env=self.env),
            }, self.pairs, before=clean)
            self.out(f"### {name}")
            self.out()
            self.table(res, "floor", [
                ("floor", "`cat FILE.yuv \\| ffmpeg -pix_fmt yuv420p ...` (the encoder alone)"),
                ("framepipe", "`cat FILE \\| framepipe ...` (framepipe converts: the default)"),
                ("ffmpeg-converts", "`cat FILE \\| framepipe --convert ffmpeg ...` (ffmpeg converts)"),
            ])
            r = ratios(res["framepipe"], res["floor"])
            r_old = ratios(res["framepipe"], res["ffmpeg-converts"])
            cpu = {k: med([x.total_cpu for x in v]) for k, v in res.items()}
            self.out(f"framepipe converting vs ffmpeg converting: {with_interval(r_old)} (rounds {spread(r_old)}); "
                     f"median CPU (framepipe and ffmpeg together): floor {cpu['floor']:.2f} s, framepipe converting "
                     f"{cpu['framepipe']:.2f} s, ffmpeg converting {cpu['ffmpeg-converts']:.2f} s; framepipe's peak "
                     f"RSS {med([x.hwm_kib for x in res['framepipe']]) / 1024:.1f} MiB.")
            self.out()
            self.summary.append(ratio_target(f"floor: `framepipe{' -p ' + preset if preset else ''}` / encoder alone "
                                             f"<= {TARGETS[target]}", r, TARGETS[target]))

    def conversion_alone(self):
        self.out(f"## Conversion alone: {UHD_W}x{UHD_H} RGBA into `ffmpeg -f null` (issue 14)")
        self.out()
        one = self.path("uhd1.rgba")
        with open(one, "wb") as f:
            subprocess.run([self.testsrc, "-s", f"{UHD_W}x{UHD_H}", "-n", str(UHD_FRAMES), "--labels"], stdout=f,
                           check=True)
        src = self.path("uhd.rgba")
        with open(src, "wb") as f:
            subprocess.run(["cat"] + [one] * UHD_REPEAT, stdout=f, check=True)
        remove(one)
        # ffmpeg copies the converted frames (the rawvideo encoder) and discards them; the output
        # framepipe names gets a stand-in, as framepipe refuses an ffmpeg that wrote nothing.
        null = self.path("ffmpeg-discard.sh")
        with open(null, "w") as f:
            f.write('#!/bin/bash\ncase " $* " in *" -encoders "*) exec ffmpeg "$@";; esac\n'
                    'args=("$@"); n=${#args[@]}; out=${args[n-1]}; echo stand-in > "${out#file:}"\n'
                    'exec ffmpeg "${args[@]:0:n-3}" -f null -\n')
        os.chmod(null, 0o755)
        preset = self.path("discard.json")
        with open(preset, "w") as f:
            json.dump({"name": "discard", "description": "rawvideo for -f null", "encoder": "rawvideo", "args": [],
                       "pix_fmt": "yuv420p", "containers": ["nut"]}, f)
        out = self.path("uhd.nut")
        geometry = ["-s", f"{UHD_W}x{UHD_H}", "--pix-fmt", "rgba", "--ffmpeg", null, "--preset-file", preset, "-q",
                    "-y"]
        cores = os.cpu_count() or 1
        frames = UHD_FRAMES * UHD_REPEAT
        # Through a pipe from cat, and from the file itself (--input), where no third process
        # copies 2 GB/s through a pipe beside the conversion.
        variants = {"ffmpeg": lambda: run_pipeline([self.fp, *geometry, "--convert", "ffmpeg", out],
                                                   producer=["cat", src], env=self.env),
                    "ffmpeg-input": lambda: run_pipeline([self.fp, *geometry, "--input", src, "--convert", "ffmpeg",
                                                          out], env=self.env)}
        for t in sorted({1, 2, cores}):
            variants[f"framepipe-{t}"] = (lambda t=t: run_pipeline(
                [self.fp, *geometry, "--convert", "framepipe", "--convert-threads", str(t), out],
                producer=["cat", src], env=self.env))
        variants[f"framepipe-input-{cores}"] = lambda: run_pipeline(
            [self.fp, *geometry, "--input", src, "--convert", "framepipe", out], env=self.env)
        res = rounds(variants, self.pairs, before=lambda: remove(out))
        self.out(f"{frames} frames ({UHD_FRAMES} frames of framepipe-testsrc written {UHD_REPEAT} times into one "
                 f"file, {UHD_REPEAT} GB, in the page cache), from `cat FILE` or from `--input FILE`; frames per "
                 "second are frames / median wall time (start-up included). CPU is framepipe's and ffmpeg's "
                 "together (wait4; cat's is not in it), the figure a busy machine moves least; `fps by CPU` is "
                 "frames / that CPU time, what one core would sustain (two idle cores, up to twice that). "
                 "The target is judged on the `--input` row: there the conversion, not a producer copying "
                 "2 GB/s through a pipe beside it, is what the two cores do.")
        self.out()
        self.out("| converter | median wall | fps | CPU | fps by CPU | framepipe peak RSS |")
        self.out("|---|---|---|---|---|---|")
        best = 0.0
        rss = 0.0
        for name, runs in res.items():
            wall = med([x.wall for x in runs])
            if name.startswith("ffmpeg"):
                label = "ffmpeg's scale (`--convert ffmpeg`)" + (", `--input FILE`" if "input" in name else
                                                                 ", `cat FILE \\|`")
            else:
                label = f"framepipe, {name.split('-')[-1]} thread(s)" + (", `--input FILE`" if "input" in name
                                                                         else ", `cat FILE \\|`")
            fps = frames / wall
            if not name.startswith("ffmpeg"):
                best = max(best, fps) if name == f"framepipe-input-{cores}" else best
                rss = max(rss, med([x.hwm_kib for x in runs]) / 1024)
            cpu = med([x.total_cpu for x in runs])
            self.out(f"| {label} | {wall:.3f} s | {fps:.1f} | {cpu:.2f} s | {frames / cpu:.0f} | "
                     f"{med([x.hwm_kib for x in runs]) / 1024:.1f} MiB |")
        self.out()
        remove(src)
        self.summary.append((f"convert: {UHD_W}x{UHD_H} RGBA converted by framepipe (--input FILE) >= 60 fps", f"{best:.1f} fps",
                             best >= TARGETS["convert_4k_fps"]))
        self.summary.append((f"memory: peak RSS converting {UHD_W}x{UHD_H} <= 256 MiB", f"{rss:.1f} MiB",
                             rss <= TARGETS["rss_4k_mib"]))

    def colormap(self):
        self.out(f"## Colormap: {CM_W}x{CM_H} grayf32le coloured into a fast consumer (issue 19)")
        self.out()
        src = self.path("field.f32")
        # ffmpeg's testsrc2 as floats 0..1: stdlib only, and the same bytes for every variant.
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", f"testsrc2=s={CM_W}x{CM_H}",
                        "-frames:v", str(CM_FRAMES), "-pix_fmt", "grayf32le", "-f", "rawvideo", "-y", src], check=True)
        out = self.path("cm.mp4")
        geometry = [self.fp, "-q", "-s", f"{CM_W}x{CM_H}", "--pix-fmt", "grayf32le", "--ffmpeg", self.sink]
        # --convert ffmpeg: framepipe colours and nothing else, the sink takes the rgb24 frames.
        colour = ["--colormap", "viridis", "--range", "0:1", "--convert", "ffmpeg"]
        tail = [out, "--", "-hide_banner"]
        cat = ["cat", src]
        res = rounds({
            "relay": lambda: run_pipeline(geometry + tail, producer=cat, env=self.env),
            "colour-1": lambda: run_pipeline(geometry + colour + ["--convert-threads", "1"] + tail, producer=cat,
                                             env=self.env),
            "colour": lambda: run_pipeline(geometry + colour + tail, producer=cat, env=self.env),
        }, self.pairs, before=lambda: remove(out))
        gb = CM_FRAMES * CM_W * CM_H * 4 / 1e9
        self.out(f"{CM_FRAMES} frames ({gb:.2f} GB of floats, ffmpeg's testsrc2 as values 0..1) from `cat FILE`, "
                 f"{self.pairs} rounds, variant order rotated. `sink` (the relay section's `cat > /dev/null`) stands in "
                 "for ffmpeg; with `--convert ffmpeg` framepipe colours and converts nothing else, so the sink gets "
                 "rgb24. The relay row is the same input relayed as it is (no colormap). fps is frames / median wall "
                 "time; `fps by CPU` is frames / framepipe's own CPU time (its colouring threads included), the rate "
                 "a core of its own would give. The machine is shared with other jobs: the ratios, measured side by "
                 "side, move less than the absolute figures.")
        self.out()
        self.out("| pipeline | median wall | fps | vs relay (median of rounds) | framepipe CPU | fps by CPU | peak RSS |")
        self.out("|---|---|---|---|---|---|---|")
        labels = {"relay": "`cat FILE \\| framepipe \\| sink` (relay, no colormap)",
                  "colour-1": "`--colormap viridis --convert-threads 1` (one worker thread)",
                  "colour": f"`--colormap viridis` ({os.cpu_count()} worker threads, the default)"}
        by_cpu_1 = rss = 0.0
        for name, runs in res.items():
            wall = med([r.wall for r in runs])
            cpu = med([r.own_cpu for r in runs])
            rr = ratios(runs, res["relay"])
            cell = "1.00" if name == "relay" else f"**{med(rr):.2f}x** wall (rounds {spread(rr)})"
            hwm = med([r.hwm_kib for r in runs]) / 1024
            self.out(f"| {labels[name]} | {wall:.3f} s | {CM_FRAMES / wall:.0f} | {cell} | {cpu:.2f} s | "
                     f"{CM_FRAMES / cpu:.0f} | {hwm:.1f} MiB |")
            if name == "colour-1":
                by_cpu_1 = CM_FRAMES / cpu
            if name != "relay":
                rss = max(rss, hwm)
        self.out()
        self.colormap_matplotlib(src)
        remove(src)
        self.summary.append((f"colormap: {CM_W}x{CM_H} grayf32le coloured on one worker thread >= 240 fps (by CPU)",
                             f"{by_cpu_1:.0f} fps", by_cpu_1 >= TARGETS["colormap_fps"]))
        self.summary.append(("memory: peak RSS colouring <= 64 MiB", f"{rss:.1f} MiB",
                             rss <= TARGETS["colormap_rss_mib"]))

    def colormap_matplotlib(self, src):
        """matplotlib's imshow + savefig per frame on the same floats, when matplotlib is there."""
        frames = 10 if self.quick else 30
        argv = ["/usr/bin/python3", os.path.join(HERE, "colormap_matplotlib.py"), src, str(CM_W), str(CM_H),
                str(frames), "viridis", "0", "1"]
        rates = []
        for _ in range(3):
            proc = subprocess.run(argv, capture_output=True, text=True)
            if proc.returncode != 0:
                self.out(f"(matplotlib comparison skipped: {proc.stderr.strip().splitlines()[-1:]})")
                self.out()
                return
            n, seconds = proc.stdout.split()
            rates.append(int(n) / float(seconds))
        self.out(f"matplotlib on the same frames (`bench/colormap_matplotlib.py`: one `imshow` figure at "
                 f"{CM_W}x{CM_H}, `set_data` + `savefig(format='raw')` per frame, {frames} frames, median of 3 "
                 f"runs): **{med(rates):.1f} frames/s** (runs {min(rates):.1f}-{max(rates):.1f}).")
        self.out()

    def pipe_into_x264(self):
        self.out("## Into ffmpeg through a pipe (default preset, x264-superfast-crf17)")
        self.out()
        fp_out, ff_out, sp_out = self.path("fp.mp4"), self.path("ff.mp4"), self.path("splice.mp4")
        ff_argv = self.dry_run_argv(ff_out)
        sp_argv = self.dry_run_argv(sp_out)
        cat = ["cat", self.src]

        def clean():
            remove(fp_out, ff_out, sp_out)

        res = rounds({
            "framepipe": lambda: run_pipeline(self.framepipe("-q", fp_out), producer=cat, env=self.env),
            "ffmpeg": lambda: run_pipeline(ff_argv, producer=cat),
            "splice": lambda: run_pipeline(sp_argv, producer=cat, relay=SPLICE_RELAY),
        }, self.pairs, before=clean)
        self.pipe_runs = res["framepipe"]
        self.table(res, "ffmpeg", [
            ("ffmpeg", "`cat FILE \\| ffmpeg ARGV` (ARGV as `framepipe --dry-run` prints it)"),
            ("framepipe", "`cat FILE \\| framepipe ...`"),
            ("splice", "`cat FILE \\| splice_relay.py \\| ffmpeg ARGV` (bare splice relay, 1 MiB pipes)"),
        ])
        r_fp = ratios(res["framepipe"], res["ffmpeg"])
        r_fs = ratios(res["framepipe"], res["splice"])
        self.out(f"framepipe vs the bare splice relay: {with_interval(r_fs)} "
                 f"(rounds {spread(r_fs)}). Encode speed through framepipe: "
                 f"{FRAMES / med([r.wall for r in res['framepipe']]):.0f} fps.")
        self.out()
        self.summary.append(ratio_target("pipe: framepipe / plain `\\| ffmpeg` wall time <= 0.92", r_fp,
                                         TARGETS["pipe"]))

    def table(self, res, ref, rows):
        self.out("| pipeline | median wall | range | ratio to the first row (median of rounds) |")
        self.out("|---|---|---|---|")
        for name, label in rows:
            walls = [r.wall for r in res[name]]
            rr = ratios(res[name], res[ref])
            cell = "1.00" if name == ref else f"**{med(rr):.3f}** (rounds {spread(rr)})"
            self.out(f"| {label} | {med(walls):.3f} s | {spread(walls)} | {cell} |")
        self.out()

    def input_file(self):
        self.out("## Reading a file (`--input FILE` vs ffmpeg reading the file itself)")
        self.out()
        fp_out, ff_out, fs_out = self.path("fp-in.mp4"), self.path("ff-in.mp4"), self.path("ff-stdin.mp4")
        ff_argv = self.dry_run_argv(ff_out)
        ff_argv[ff_argv.index("-i") + 1] = "file:" + self.src
        fs_argv = self.dry_run_argv(fs_out)  # `-i -`, stdin redirected from the file

        def clean():
            remove(fp_out, ff_out, fs_out)

        res = rounds({
            "framepipe": lambda: run_pipeline(self.framepipe("-q", "--input", self.src, fp_out), env=self.env),
            "ffmpeg": lambda: run_pipeline(ff_argv),
            "ffmpeg<file": lambda: run_pipeline(fs_argv, stdin_path=self.src),
        }, self.pairs, before=clean)
        self.input_runs = res["framepipe"]
        self.table(res, "ffmpeg", [
            ("ffmpeg", "`ffmpeg ... -i FILE ...`"),
            ("framepipe", "`framepipe --input FILE ...` (hands the file to ffmpeg as its stdin)"),
            ("ffmpeg<file", "`ffmpeg ... -i - < FILE` (what framepipe starts, without framepipe)"),
        ])
        r = ratios(res["framepipe"], res["ffmpeg"])
        r_s = ratios(res["framepipe"], res["ffmpeg<file"])
        self.out(f"framepipe vs `ffmpeg -i - < FILE`: {with_interval(r_s)} (rounds {spread(r_s)}).")
        self.out()
        self.summary.append(ratio_target("input: `framepipe --input FILE` / `ffmpeg -i FILE` wall time <= 1.0", r,
                                         TARGETS["input"]))

    def cpu(self):
        self.out("## framepipe's own CPU time")
        self.out()
        self.out("User+system time of the framepipe process alone (its zombie's /proc schedstat), as a share of "
                 "its ffmpeg child's (wait4 total minus framepipe's own), in the x264 runs above.")
        self.out()
        self.out("| mode | framepipe CPU (median) | ffmpeg CPU (median) | share (median of runs) | share (all runs) |")
        self.out("|---|---|---|---|---|")
        worst = 0.0
        for label, runs in (("`cat FILE | framepipe`", self.pipe_runs), ("`framepipe --input FILE`", self.input_runs)):
            shares = [100 * r.own_cpu / r.child_cpu for r in runs if r.child_cpu > 0]
            total = 100 * sum(r.own_cpu for r in runs) / max(sum(r.child_cpu for r in runs), 1e-9)
            worst = max(worst, med(shares))
            self.out(f"| {label.replace('|', chr(92) + '|')} | {1000 * med([r.own_cpu for r in runs]):.1f} ms | "
                     f"{med([r.child_cpu for r in runs]):.2f} s | **{med(shares):.2f}%** | {total:.2f}% |")
        self.out()
        self.summary.append(("cpu: framepipe's own CPU <= 2% of ffmpeg's", f"{worst:.2f}%", worst <= TARGETS["cpu"]))

    def relay(self):
        self.out("## Relay throughput into a fast consumer")
        self.out()
        self.out("`sink` creates the output file and runs `cat > /dev/null`; `ffmpeg -f null` decodes the raw "
                 "frames and discards them. framepipe runs them through `--ffmpeg` (sink with `-- -hide_banner`, "
                 "which skips the banner check; the ffmpeg wrapper prints the real banner). `splice_relay` is the bare "
                 "splice relay of the first section, for the cost of any relay process on this machine. With `--input` "
                 "framepipe relays nothing: the sink reads the file itself, as ffmpeg would.")
        self.out()
        out = self.path("relay.mp4")
        cat = ["cat", self.src]
        gb = FRAMES * FRAME_BYTES / 1e9
        sink_fp = self.framepipe("-q", "--ffmpeg", self.sink, out, "--", "-hide_banner")
        sink_fp_in = self.framepipe("-q", "--input", self.src, "--ffmpeg", self.sink, out, "--", "-hide_banner")
        null_fp = self.framepipe("-q", "--ffmpeg", self.ffnull, out)

        def clean():
            remove(out)

        res = rounds({
            "cat|sink": lambda: run_pipeline([self.sink, "file:" + self.path("plain.out")], producer=cat),
            "cat|framepipe|sink": lambda: run_pipeline(sink_fp, producer=cat, env=self.env),
            "framepipe --input|sink": lambda: run_pipeline(sink_fp_in, env=self.env),
            "cat|splice_relay|sink": lambda: run_pipeline([self.sink, "file:" + self.path("splice.out")], producer=cat,
                                                          relay=SPLICE_RELAY),
            "cat|ffmpeg-null": lambda: run_pipeline(self.null_argv, producer=cat),
            "cat|framepipe|ffmpeg-null": lambda: run_pipeline(null_fp, producer=cat, env=self.env),
        }, 2 * self.pairs, before=clean)
        self.out("| pipeline | median wall | throughput | vs plain pipe (median of rounds) |")
        self.out("|---|---|---|---|")
        worst = 1e9
        for name, ref in (("cat|sink", None), ("cat|framepipe|sink", "cat|sink"),
                          ("framepipe --input|sink", "cat|sink"), ("cat|splice_relay|sink", "cat|sink"),
                          ("cat|ffmpeg-null", None),
                          ("cat|framepipe|ffmpeg-null", "cat|ffmpeg-null")):
            w = med([r.wall for r in res[name]])
            share = "100%"
            if ref:
                # throughput ratio = reference wall / this wall, per round
                rr = [100 / x for x in ratios(res[name], res[ref])]
                share = f"**{med(rr):.1f}%** (rounds {min(rr):.0f}-{max(rr):.0f}%)"
                if "framepipe" in name:
                    worst = min(worst, med(rr))
            self.out(f"| `{name.replace('|', ' ' + chr(92) + '| ')}` | {w:.3f} s | {gb / w:.2f} GB/s | {share} |")
        self.out()
        self.out("framepipe's own CPU time for the 1.1 GB (median): " + ", ".join(
            f"{1000 * med([r.own_cpu for r in res[k]]):.0f} ms `{k.replace('|', ' | ')}`"
            for k in ("cat|framepipe|sink", "framepipe --input|sink", "cat|framepipe|ffmpeg-null")) + ".")
        self.out()
        self.summary.append(("relay: throughput into a fast consumer >= 90% of a plain pipe's", f"{worst:.1f}%",
                             worst >= TARGETS["relay"]))

    def streams(self):
        self.out("## Self-describing streams (issue 15)")
        self.out()
        self.out(f"The {FRAMES} frames as YUV4MPEG2 (yuv420p) and as PPM (rgb24), each relayed by framepipe (which "
                 "parses every header and splices the pixels) into `sink`, against the raw relay of the same bytes "
                 "per frame (`--pix-fmt gray -s 1280x1080` for the 4:2:0 frames, `--pix-fmt rgb24` for the PPM "
                 "ones; `--convert ffmpeg`, so that framepipe relays them too); throughput in bytes of the input file. Then a PNG stream "
                 f"({PNG_FRAMES} RGBA frames) encoded with the default preset by framepipe and by `ffmpeg -f "
                 "png_pipe -i -` with framepipe's own output arguments (`--dry-run`).")
        self.out()
        y4m, ppm, png = self.path("s.y4m"), self.path("s.ppm"), self.path("s.png")
        raw_y, raw_rgb = self.path("s.yuv"), self.path("s.rgb24")
        src = ["ffmpeg", "-v", "error", "-nostdin", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{W}x{H}", "-r",
               str(FPS), "-i", self.src]
        for out, args in ((y4m, ["-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe"]),
                          (raw_y, ["-pix_fmt", "yuv420p", "-f", "rawvideo"]),
                          (ppm, ["-pix_fmt", "rgb24", "-c:v", "ppm", "-f", "image2pipe"]),
                          (raw_rgb, ["-pix_fmt", "rgb24", "-f", "rawvideo"]),
                          (png, ["-frames:v", str(PNG_FRAMES), "-c:v", "png", "-f", "image2pipe"])):
            subprocess.run(src + args + ["-y", out], check=True)
        out = self.path("stream.mp4")
        sink = ["-q", "--ffmpeg", self.sink, out, "--", "-hide_banner"]
        ff_out = self.path("stream-ff.mp4")
        with open(png, "rb") as f:
            ff_argv = shlex.split(subprocess.run([self.fp, "--dry-run", "-r", str(FPS), ff_out], stdin=f,
                                                 env=self.env, check=True, capture_output=True, text=True).stdout)
        ff_argv[ff_argv.index("-n")] = "-y"

        def clean():
            remove(out, ff_out)

        res = rounds({
            "y4m": lambda: run_pipeline([self.fp, *sink], producer=["cat", y4m], env=self.env),
            "raw 4:2:0 bytes": lambda: run_pipeline([self.fp, "-s", f"{W}x{H * 3 // 2}", "--pix-fmt", "gray", "--convert", "ffmpeg", *sink],
                                                    producer=["cat", raw_y], env=self.env),
            "ppm": lambda: run_pipeline([self.fp, *sink], producer=["cat", ppm], env=self.env),
            "raw rgb24": lambda: run_pipeline([self.fp, "-s", f"{W}x{H}", "--pix-fmt", "rgb24", "--convert", "ffmpeg", *sink],
                                              producer=["cat", raw_rgb], env=self.env),
            "png framepipe": lambda: run_pipeline([self.fp, "-q", "-r", str(FPS), out], producer=["cat", png],
                                                  env=self.env),
            "png ffmpeg": lambda: run_pipeline(ff_argv, producer=["cat", png]),
        }, self.pairs, before=clean)
        self.out("| run | median wall | throughput | vs its reference (median of rounds) |")
        self.out("|---|---|---|---|")
        worst = 1e9
        for name, path, ref, ref_path in (("raw 4:2:0 bytes", raw_y, None, None), ("y4m", y4m, "raw 4:2:0 bytes", raw_y),
                                          ("raw rgb24", raw_rgb, None, None), ("ppm", ppm, "raw rgb24", raw_rgb)):
            w = med([r.wall for r in res[name]])
            share = "100%"
            if ref:
                # throughput = file bytes / wall, per round
                rr = [100 * (os.path.getsize(path) / a.wall) / (os.path.getsize(ref_path) / b.wall)
                      for a, b in zip(res[name], res[ref])]
                share = f"**{med(rr):.1f}%** (rounds {min(rr):.0f}-{max(rr):.0f}%)"
                worst = min(worst, med(rr))
            self.out(f"| `cat {os.path.basename(path)} \\| framepipe \\| sink` | {w:.3f} s | "
                     f"{os.path.getsize(path) / w / 1e9:.2f} GB/s | {share} |")
        png_ratio = ratios(res["png framepipe"], res["png ffmpeg"])
        for name in ("png framepipe", "png ffmpeg"):
            self.out(f"| {name} ({PNG_FRAMES} frames) | {med([r.wall for r in res[name]]):.3f} s | | |")
        self.out()
        self.out(f"PNG: framepipe / ffmpeg -f png_pipe wall time {with_interval(png_ratio)}.")
        peak = max(r.hwm_kib for k in ("y4m", "ppm", "png framepipe") for r in res[k]) / 1024
        self.out(f"framepipe's peak RSS over the stream runs: {peak:.1f} MiB.")
        self.out()
        self.summary.append(("streams: Y4M and PPM relay throughput >= 90% of raw frames'", f"{worst:.1f}%",
                             worst >= TARGETS["stream_relay"]))
        self.summary.append(ratio_target("streams: PNG wall <= 1.0x ffmpeg -f png_pipe", png_ratio, TARGETS["png"]))
        self.summary.append(("streams: peak RSS <= 64 MiB", f"{peak:.1f} MiB", peak <= TARGETS["rss_mib"]))
        remove(y4m, ppm, png, raw_y, raw_rgb)

    def memory(self):
        self.out("## framepipe's peak memory")
        self.out()
        out = self.path("mem.mp4")
        n = 1 if self.quick else 3
        sink_fp = self.framepipe("-q", "--ffmpeg", self.sink, out, "--", "-hide_banner")
        rows = []
        for frames, producer in ((FRAMES, ["cat", self.src]), (FRAMES * LONG_FACTOR, ["cat"] + [self.src] * LONG_FACTOR)):
            runs = []
            for _ in range(n):
                remove(out)
                runs.append(run_pipeline(sink_fp, producer=producer, env=self.env))
            rows.append((frames, runs))
        self.out("framepipe's VmHWM (peak resident set) from /proc/PID/status, sampled every 10 ms while it runs; "
                 "a high-water mark, so only a peak in its last 10 ms could be missed. (wait4's ru_maxrss is no "
                 "use here: it keeps the benchmark's own Python RSS from before exec, and includes ffmpeg's.)")
        self.out()
        self.out("| run | frames | framepipe peak RSS (max of runs) |")
        self.out("|---|---|---|")
        peaks = []
        for frames, runs in rows:
            peaks.append(max(r.hwm_kib for r in runs) / 1024)
            self.out(f"| `cat FILE \\| framepipe \\| sink` | {frames} | {peaks[-1]:.1f} MiB |")
        hwm_x264 = max(r.hwm_kib for r in self.pipe_runs + self.input_runs) / 1024
        self.out(f"| the x264 runs above (pipe and --input) | {FRAMES} | {hwm_x264:.1f} MiB |")
        self.out()
        peak = max(peaks + [hwm_x264])
        growth = peaks[1] - peaks[0]
        self.out(f"Growth from {FRAMES} to {FRAMES * LONG_FACTOR} frames: {growth:+.1f} MiB.")
        self.out()
        self.summary.append(("memory: peak RSS <= 64 MiB, independent of length",
                             f"{peak:.1f} MiB ({growth:+.1f} MiB for {LONG_FACTOR}x the frames)",
                             peak <= TARGETS["rss_mib"] and abs(growth) < 1.0))

    def startup(self):
        self.out("## Startup: launch to ffmpeg's first frame")
        self.out()
        self.out("A 2-frame input is piped in with `cat`. The clock starts when the producer is spawned and stops "
                 "when ffmpeg prints `Output #0` on stderr, which it does only after the first frame went "
                 "through the filters and the encoder opened (framepipe shows it with `-v`, relayed with a "
                 "prefix, so the relay of that line counts against framepipe). The same ffmpeg argv, at the "
                 "same log level, in both.")
        self.out()
        fp_out, ff_out = self.path("start-fp.mp4"), self.path("start-ff.mp4")
        ff_argv = self.dry_run_argv(ff_out)
        cat = ["cat", self.src2]

        def clean():
            remove(fp_out, ff_out)

        n = max(2 * self.pairs, 10)
        res = rounds({
            "framepipe": lambda: run_pipeline(self.framepipe("-v", fp_out), producer=cat, env=self.env,
                                              marker="Output #0"),
            "ffmpeg": lambda: run_pipeline(ff_argv, producer=cat, marker="Output #0"),
        }, n, before=clean)
        for name, runs in res.items():
            if any(r.marker is None for r in runs):
                raise Failure(f"{name}: no 'Output #0' line on stderr")
        d_first = [1000 * (a.marker - b.marker) for a, b in zip(res["framepipe"], res["ffmpeg"])]
        d_wall = [1000 * (a.wall - b.wall) for a, b in zip(res["framepipe"], res["ffmpeg"])]
        self.out("| | ffmpeg alone | through framepipe | difference (median of rounds) |")
        self.out("|---|---|---|---|")
        self.out(f"| launch to first frame (`Output #0`) | {1000 * med([r.marker for r in res['ffmpeg']]):.1f} ms | "
                 f"{1000 * med([r.marker for r in res['framepipe']]):.1f} ms | **{med(d_first):+.1f} ms** |")
        self.out(f"| whole 2-frame run | {1000 * med([r.wall for r in res['ffmpeg']]):.1f} ms | "
                 f"{1000 * med([r.wall for r in res['framepipe']]):.1f} ms | {med(d_wall):+.1f} ms |")
        self.out()
        self.summary.append(("startup: launch to first frame <= 20 ms above ffmpeg's own", f"{med(d_first):+.1f} ms",
                             med(d_first) <= TARGETS["startup_ms"]))

    # -- the producer ---------------------------------------------------------------------------

    def run_testsrc(self, extra=(), through_cat=False):
        """One `framepipe-testsrc ... > /dev/null` (or `| cat > /dev/null`) run: wall from spawn to the
        last exit, and total_cpu the producer's own CPU time (wait4), cat's excluded."""
        argv = [self.testsrc, "-s", f"{W}x{H}", "-r", str(FPS), "-n", str(FRAMES), "--labels", *extra]
        run = Run()
        t0 = time.perf_counter()
        prod = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE if through_cat else subprocess.DEVNULL)
        cat = None
        if through_cat:
            cat = subprocess.Popen(["cat"], stdin=prod.stdout, stdout=subprocess.DEVNULL)
            prod.stdout.close()
        _, status, usage = os.wait4(prod.pid, 0)
        prod.returncode = os.waitstatus_to_exitcode(status)
        if cat:
            cat.wait()
        run.wall = time.perf_counter() - t0
        run.total_cpu = usage.ru_utime + usage.ru_stime
        if prod.returncode != 0 or (cat and cat.returncode != 0):
            raise Failure(f"{shlex.join(argv)} failed (exit {prod.returncode})")
        return run

    def producer(self):
        self.out("## The test-pattern producer")
        self.out()
        threads = os.cpu_count() or 1
        self.out(f"`framepipe-testsrc -s {W}x{H} -r {FPS} -n {FRAMES} --labels`, the content of every section "
                 f"above (`make demo` draws it without the labels), rendered on {threads} threads (its default: one per CPU) and on 1. "
                 f"{self.pairs} rounds. CPU is the producer's own (wait4: rendering, and copying into the pipe), "
                 "`cat`'s not included. Frames per CPU-second is what it makes with a CPU to itself: unlike "
                 "frames/s, load from other work on the machine hardly changes it.")
        self.out()
        res = rounds({
            "> /dev/null": lambda: self.run_testsrc(),
            "| cat": lambda: self.run_testsrc(through_cat=True),
            "--threads 1 | cat": lambda: self.run_testsrc(("--threads", "1"), through_cat=True),
        }, self.pairs)
        self.out("| run | median wall | frames/s (median of rounds) | CPU (median) | frames per CPU-second |")
        self.out("|---|---|---|---|---|")
        for name, runs in res.items():
            fps = [FRAMES / r.wall for r in runs]
            cpu = med([r.total_cpu for r in runs])
            label = name.replace("|", "\\|")
            self.out(f"| `testsrc {label}` | {med([r.wall for r in runs]):.3f} s | {with_interval(fps)} | "
                     f"{cpu:.2f} s | {FRAMES / cpu:.0f} |")
        self.out()
        # One CPU's worth, piped: what it makes while the other CPU is left to the consumer.
        per_cpu = [FRAMES / r.total_cpu for r in res["--threads 1 | cat"]]
        lo, hi = median_interval(per_cpu)
        self.summary.append((f"producer: framepipe-testsrc >= 300 frames/s at {W}x{H} on one CPU, into `\\| cat` "
                             "(frames per CPU-second)", with_interval(per_cpu, (lo, hi)), med(per_cpu) >= 300,
                             lo <= 300 <= hi))

    # -- presets --------------------------------------------------------------------------------

    def preset_files(self):
        """Every preset in the directory, read now (others add presets while this runs)."""
        found = {}
        for name in sorted(os.listdir(self.presets_dir)):
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(self.presets_dir, name)) as f:
                    found[name[:-5]] = json.load(f)
            except (OSError, ValueError) as e:
                found[name[:-5]] = e
        return found

    def hardware_of(self, presets, name, seen=()):
        p = presets.get(name)
        if not isinstance(p, dict) or name in seen:
            return None
        if "hardware" in p:
            return p["hardware"]
        if "extends" in p:
            return self.hardware_of(presets, p["extends"], seen + (name,))
        return None

    def quality(self, video):
        probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                                "-show_entries", "stream=codec_name,pix_fmt,color_space,color_range,nb_read_packets",
                                "-of", "json", video], capture_output=True, text=True, check=True)
        s = json.loads(probe.stdout)["streams"][0]
        matrix = {"bt709": "bt709", "smpte170m": "smpte170m", "bt470bg": "bt470", "bt2020nc": "bt2020",
                  "fcc": "fcc", "smpte240m": "smpte240m"}.get(s.get("color_space", ""), "bt709")
        rng = s.get("color_range") if s.get("color_range") in ("tv", "pc") else "tv"
        conv = f"scale=out_color_matrix={matrix}:out_range={rng}:flags=accurate_rnd,format=yuv444p"
        graph = (f"[0:v]settb=1/{FPS},setpts=N,{conv},split[d1][d2];"
                 f"[1:v]settb=1/{FPS},setpts=N,{conv},split[r1][r2];"
                 "[d1][r1]ssim[s];[d2][r2]psnr[p]")
        r = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", video, "-f", "rawvideo",
                            "-pix_fmt", "rgba", "-s", f"{W}x{H}", "-r", str(FPS), "-i", self.src,
                            "-filter_complex", graph, "-map", "[s]", "-f", "null", "-", "-map", "[p]", "-f", "null",
                            "-"], capture_output=True, text=True)
        ssim = re.search(r"SSIM .*All:([0-9.]+)", r.stderr)
        psnr = re.search(r"PSNR .*average:([0-9.inf]+)", r.stderr)
        if r.returncode != 0 or not ssim or not psnr:
            raise Failure(f"quality measurement of {video} failed:\n{r.stderr[-2000:]}")
        return float(ssim.group(1)), float(psnr.group(1)), s, matrix, rng

    def presets(self):
        self.out("## Software presets")
        self.out()
        found = self.preset_files()
        n = self.preset_runs
        rows, skipped = [], []
        for name, p in found.items():
            if isinstance(p, Exception):
                skipped.append(f"{name} (unreadable: {p})")
                continue
            hw = self.hardware_of(found, name)
            if hw not in (None, "", "none"):
                skipped.append(f"{name} (hardware: {hw})")
                continue
            ext = None
            for candidate in ("mp4", "webm", "mkv", "mov", "gif", "nut", "avi", "ts"):
                r = subprocess.run(self.framepipe("-p", name, "--dry-run", "x." + candidate), env=self.env,
                                   capture_output=True, text=True)
                if r.returncode == 0:
                    ext = candidate
                    break
            if ext is None:
                skipped.append(f"{name} (no container accepted: {r.stderr.strip()[:200]})")
                continue
            out = self.path(f"preset-{name}.{ext}")
            walls = []
            try:
                for _ in range(n):
                    remove(out)
                    walls.append(run_pipeline(self.framepipe("-q", "-p", name, "--input", self.src, out),
                                              env=self.env, timeout=self.preset_timeout).wall)
                size = os.path.getsize(out)
                ssim, psnr, stream, matrix, rng = self.quality(out)
            except TimedOut:
                skipped.append(f"{name} (slower than {self.preset_timeout} s for {FRAMES} frames, stopped; "
                               "BENCH_PRESET_TIMEOUT=0 waits for it)")
                continue
            except Failure as e:
                skipped.append(f"{name} (failed: {str(e).splitlines()[-1][:200]})")
                continue
            wall = med(walls)
            rows.append((name, f"{p.get('encoder') or stream['codec_name']}", ext, wall, size, ssim, psnr, stream,
                         matrix, rng))
            print(f"    {name}: {wall:.2f} s, {size / 1e6:.2f} MB, SSIM {ssim:.4f}, PSNR {psnr:.2f}", flush=True)
        self.out(f"{FRAMES} frames {W}x{H} RGBA at {FPS} fps ({FRAMES / FPS:.0f} s of video), `framepipe --input FILE "
                 f"-p NAME`, median of {n} run(s). SSIM and PSNR compare the decoded video with the source, both "
                 "converted to 4:4:4 YUV with the matrix and range the video is tagged with, frames paired by "
                 "index. Presets read from " + f"`{self.presets_dir}` at run time.")
        self.out()
        self.out("| preset | codec | file | wall | encode fps | speed | size | size/min | SSIM (All) | PSNR (avg) | frames | tagged |")
        self.out("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name, codec, ext, wall, size, ssim, psnr, s, matrix, rng in rows:
            self.out(f"| {name} | {s.get('codec_name')} {s.get('pix_fmt')} | .{ext} | {wall:.2f} s | "
                     f"{FRAMES / wall:.0f} | {FRAMES / FPS / wall:.2f}x | {size / 1e6:.2f} MB | "
                     f"{size / 1e6 * 60 * FPS / FRAMES:.0f} MB | {ssim:.4f} | {psnr:.2f} dB | "
                     f"{s.get('nb_read_packets')} | {s.get('color_space', '?')}/{s.get('color_range', '?')} |")
        self.out()
        if skipped:
            self.out("Not measured: " + "; ".join(skipped) + ".")
            self.out()

    def finish(self, started):
        load_end = os.getloadavg()
        self.out("## Targets")
        self.out()
        self.out("| target | measured | |")
        self.out("|---|---|---|")
        for target, measured, ok, *undecided in self.summary:
            self.out(f"| {target} | {measured} | {verdict(ok, bool(undecided and undecided[0]))} |")
        self.out()
        self.out(f"Benchmark took {time.time() - started:.0f} s; load average {self.load_start[0]:.2f} at start, "
                 f"{load_end[0]:.2f} at end (1-minute; other work shares this machine).")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", help="the build directory holding framepipe and framepipe-testsrc")
    ap.add_argument("--pairs", type=int, default=int(os.environ.get("BENCH_PAIRS", "0") or 0))
    ap.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK", "") not in ("", "0"))
    ap.add_argument("--out", default=os.path.join(HERE, "results", "latest.md"))
    ap.add_argument("--only", default="", help="comma-separated sections: pipe,input,convert,relay,colormap,memory,streams,startup,presets,producer")
    args = ap.parse_args()
    pairs = args.pairs or (3 if args.quick else 15)
    for tool in ("ffmpeg", "ffprobe", "cat"):
        if not shutil.which(tool):
            sys.exit(f"bench: error: {tool} not found: apt-get install ffmpeg coreutils")
    for exe in ("framepipe", "framepipe-testsrc"):
        if not os.access(os.path.join(args.build, exe), os.X_OK):
            sys.exit(f"bench: error: no {exe} in {args.build}: build first (make build)")
    started = time.time()
    presets_dir = os.environ.get("FRAMEPIPE_PRESETS_DIR", os.path.join(REPO, "presets"))
    with tempfile.TemporaryDirectory(prefix="framepipe-bench-", dir=os.environ.get("BENCH_TMPDIR")) as tmp:
        b = Bench(args.build, pairs, args.quick, tmp, presets_dir)
        b.machine()
        b.generate()
        only = set(filter(None, args.only.split(",")))
        want = lambda s: not only or s in only
        try:
            if want("pipe") or want("input") or want("memory"):
                b.pipe_into_x264()
                b.input_file()
                b.cpu()
            if want("convert"):
                b.conversion_floor()
                b.conversion_alone()
            if want("relay"):
                b.relay()
            if want("colormap"):
                b.colormap()
            if want("memory"):
                b.memory()
            if want("streams"):
                b.streams()
            if want("startup"):
                b.startup()
            if want("presets"):
                b.presets()
            if want("producer"):
                b.producer()
        except Failure as e:
            sys.exit(f"bench: error: {e}")
        b.finish(started)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(b.md) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
