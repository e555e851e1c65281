"""Shared helpers for framepipe's integration tests: run the real binary, probe with ffprobe.

Every test runs in its own temporary directory. Paths to the built programs come from CTest's
environment (FRAMEPIPE_BIN, FRAMEPIPE_TESTSRC, FAKE_FFMPEG, FRAMEPIPE_SOURCE_DIR).
"""
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

FRAMEPIPE = os.environ.get("FRAMEPIPE_BIN", "framepipe")
TESTSRC = os.environ.get("FRAMEPIPE_TESTSRC", "framepipe-testsrc")
FAKE_FFMPEG = os.environ.get("FAKE_FFMPEG", "")
SOURCE_DIR = os.environ.get("FRAMEPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))

# framepipe's documented exit statuses (src/exit_codes.h)
EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT = 0, 2, 3, 4
EXIT_FFMPEG_FAILED, EXIT_FFMPEG_UNUSABLE, EXIT_ENCODER_UNAVAILABLE, EXIT_PRESET = 5, 6, 7, 8


@functools.cache
def ffmpeg_major():
    """The major version of the ffmpeg on PATH (5 on Debian 12, 7 on Debian 13)."""
    banner = subprocess.run(["ffmpeg", "-version"], check=True, stdout=subprocess.PIPE, text=True).stdout
    match = re.match(r"ffmpeg version n?(\d+)\.", banner)
    return int(match.group(1)) if match else 99  # a development build: newer than any release


def testsrc(frames, size="320x240", pix_fmt="rgba", fps="30", extra=()):
    """The raw bytes of `frames` test-pattern frames."""
    return subprocess.run([TESTSRC, "-s", size, "--pix-fmt", pix_fmt, "-r", fps, "-n", str(frames), *extra],
                          check=True, stdout=subprocess.PIPE).stdout


def framepipe_env(env=None):
    """The test's environment for framepipe: FRAMEPIPE_FFMPEG from outside removed, `env` added."""
    full_env = dict(os.environ)
    full_env.pop("FRAMEPIPE_FFMPEG", None)
    full_env.update(env or {})
    return full_env


def run_framepipe(args, input_bytes=b"", env=None, timeout=120, cwd=None):
    """Runs framepipe with `input_bytes` on stdin; returns the CompletedProcess (text stderr)."""
    proc = subprocess.run([FRAMEPIPE, *args], input=input_bytes, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=framepipe_env(env), timeout=timeout, cwd=cwd)
    proc.stderr = proc.stderr.decode(errors="replace")
    proc.stdout = proc.stdout.decode(errors="replace")
    return proc


def start_framepipe(args, stdin=subprocess.DEVNULL, env=None):
    """Starts framepipe and returns the Popen (stderr piped, bytes), for tests that act on it."""
    return subprocess.Popen([FRAMEPIPE, *args], stdin=stdin, stderr=subprocess.PIPE, env=framepipe_env(env))


def json_lines(text):
    """The json records among framepipe's stderr lines (--progress json)."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def ffprobe(path, count_frames=True):
    """The first video stream's properties, and the format, as dicts."""
    cmd = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_streams", "-show_format", "-of", "json"]
    if count_frames:
        cmd.insert(1, "-count_frames")
    out = subprocess.run(cmd + [path], check=True, stdout=subprocess.PIPE).stdout
    data = json.loads(out)
    return data["streams"][0], data["format"]


def decodes_cleanly(path):
    """True when a full decode reports no errors at all."""
    proc = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-f", "null", "-"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc.returncode == 0 and proc.stderr.strip() == b""


def decode_frame(path, index, pix_fmt, size):
    """Frame `index` of a video, decoded to raw `pix_fmt` bytes at `size` (WxH)."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-vf", f"select=eq(n\\,{index})",
                          "-frames:v", "1", "-s", size, "-f", "rawvideo", "-pix_fmt", pix_fmt, "-"],
                         check=True, stdout=subprocess.PIPE).stdout
    return out


def psnr(a, b, max_value=255):
    """PSNR in dB between two equal-length byte strings."""
    import math
    assert len(a) == len(b) and a, (len(a), len(b))
    se = 0
    for x, y in zip(a, b):
        d = x - y
        se += d * d
    mse = se / len(a)
    return float("inf") if mse == 0 else 10 * math.log10(max_value * max_value / mse)


def ffmpeg_child_of(pid, timeout=10):
    """The pid of the ffmpeg that framepipe `pid` started."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                kids = [int(k) for k in f.read().split()]
        except FileNotFoundError:
            kids = []
        for k in kids:
            try:
                with open(f"/proc/{k}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
                # the real run, not the one-frame encoder probe
                if b"rawvideo" in argv:
                    return k
            except FileNotFoundError:
                pass
        time.sleep(0.05)
    raise AssertionError("framepipe started no ffmpeg")


def read_report(path):
    """The "key value" lines the fake ffmpeg writes to FAKE_REPORT, as a dict."""
    with open(path) as f:
        return dict(line.rstrip("\n").partition(" ")[::2] for line in f)


def frames_in(path):
    """How many frames a video holds, counted by decoding it."""
    return int(ffprobe(path)[0]["nb_read_frames"])


class TempDirTest(unittest.TestCase):
    """A test case that runs in a fresh temporary directory, removed afterwards."""

    def setUp(self):
        self._old_cwd = os.getcwd()
        self.dir = tempfile.mkdtemp(prefix="framepipe-test-")
        os.chdir(self.dir)

    def tearDown(self):
        os.chdir(self._old_cwd)
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)


# framepipe concat's own exit status (src/exit_codes.h): the segments do not join.
EXIT_SEGMENTS = 9


def make_segment(path, start, frames, preset="x264-crf17", size="320x240", fps="30", extra=()):
    """Encodes frames start..start+frames-1 of the test pattern as a segment; returns the process."""
    raw = testsrc(start + frames, size=size, fps=fps)[len(testsrc(1, size=size, fps=fps)) * start:]
    return run_framepipe(["-s", size, "-r", fps, "-p", preset, "--segment-start", str(start), *extra,
                          path], input_bytes=raw)


def first_packet_size_and_pos(path):
    """The size of a video's first packet and its byte position in the file."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=size,pos", "-of", "csv=p=0", "-read_intervals", "%+#1", path],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    size, pos = out.split()[0].split(",")[:2]
    return int(size), int(pos)


def frame_hashes(path):
    """The md5 of every decoded frame, in order (ffmpeg's framemd5 muxer)."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-map", "0:v", "-f", "framemd5", "-"],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return [line.split(",")[-1].strip() for line in out.splitlines() if line and not line.startswith("#")]


def packet_times(path):
    """The video packets' presentation timestamps (in the stream's time base), sorted, and that time base."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=time_base:packet=pts", "-of", "json", path],
                         check=True, stdout=subprocess.PIPE).stdout
    data = json.loads(out)
    num, den = (int(x) for x in data["streams"][0]["time_base"].split("/"))
    return sorted(int(p["pts"]) for p in data["packets"]), (num, den)
