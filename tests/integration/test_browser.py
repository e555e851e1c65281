"""framepipe's videos in a real browser: Debian's Chromium, headless.

ffmpeg's own decoder forgives what browsers refuse (yuv444p, lossless H.264) and ignores colour
tags that browsers honour, so only a browser shows what a user will see. The test serves the
videos and a page over http.server on 127.0.0.1; the page plays each video, checks it, draws a
frame to a canvas and POSTs what it found back to the server.

Run by itself with FRAMEPIPE_BROWSER_REPORT=1 to print a table of every preset's result (the
source of the "Browser playback" section of docs/presets.md).

Skips (exit code 125) only when chromium is not installed; `make test` installs it.
"""
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

import fp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    print("SKIP: chromium is not installed (make test installs it: apt-get install chromium)")
    sys.exit(125)

FPS = 30
FRAMES = 30  # 1 s
# HD on purpose: for SD sizes Chromium assumes BT.601 for untagged video, which hides the
# colour-matrix mistake this test is there to catch.
SIZE = (1280, 720)

# The page: plays each video in turn, then POSTs one JSON result per video to /result.
PAGE = r"""<!doctype html>
<html><body>
<video id="v" muted playsinline width="320"></video>
<canvas id="c"></canvas>
<script>
// [{name, type}]: the file to play and its MIME type with codecs, for canPlayType().
const videos = JSON.parse(new URLSearchParams(location.search).get("videos"));
const v = document.getElementById("v");
const c = document.getElementById("c");

function post(result) {
  return fetch("/result", {method: "POST", body: JSON.stringify(result)});
}

function once(target, events, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done("timeout"), ms);
    const handlers = {};
    function done(what) {
      clearTimeout(timer);
      for (const e of events) target.removeEventListener(e, handlers[e]);
      resolve(what);
    }
    for (const e of events) {
      handlers[e] = () => done(e);
      target.addEventListener(e, handlers[e]);
    }
  });
}

function meanPixel(source, width, height) {
  c.width = width;
  c.height = height;
  const ctx = c.getContext("2d", {willReadFrequently: true});
  ctx.drawImage(source, 0, 0);
  // The mean of a block in the middle of the frame.
  const w = 16, h = 16;
  const d = ctx.getImageData((width - w) >> 1, (height - h) >> 1, w, h).data;
  const sum = [0, 0, 0];
  for (let i = 0; i < d.length; i += 4) { sum[0] += d[i]; sum[1] += d[i + 1]; sum[2] += d[i + 2]; }
  return sum.map((s) => Math.round(s / (w * h)));
}

// A GIF is an image, not a video: browsers show it in <img>, never in <video>.
async function checkImage(name) {
  const img = new Image();
  img.src = "/" + name;
  const r = {name: name, element: "img"};
  const loaded = await once(img, ["load", "error"], 15000);
  r.played = loaded === "load";
  if (!r.played) { r.error = "image " + loaded; return r; }
  r.videoWidth = img.naturalWidth;
  r.videoHeight = img.naturalHeight;
  r.pixel = meanPixel(img, img.naturalWidth, img.naturalHeight);
  return r;
}

async function check(name, type) {
  if (name.endsWith(".gif")) return checkImage(name);
  const r = {name: name, element: "video", canPlayType: type ? v.canPlayType(type) : null};
  v.src = "/" + name;
  v.load();
  const loaded = await once(v, ["loadeddata", "error"], 15000);
  if (loaded !== "loadeddata") {
    r.played = false;
    r.error = v.error ? (v.error.code + ": " + v.error.message) : loaded;
    return r;
  }
  r.videoWidth = v.videoWidth;
  r.videoHeight = v.videoHeight;
  r.duration = v.duration;
  try {
    await v.play();
  } catch (e) {
    r.played = false;
    r.error = "play() failed: " + e;
    return r;
  }
  // Playing means time advances; wait for that rather than trust the 'playing' event.
  const start = performance.now();
  while (v.currentTime < 0.3 && !v.error && !v.ended && performance.now() - start < 15000)
    await new Promise((ok) => setTimeout(ok, 50));
  r.currentTime = v.currentTime;
  r.played = v.currentTime > 0 && !v.error;
  if (v.error) r.error = v.error.code + ": " + v.error.message;
  v.pause();
  if (r.played) r.pixel = meanPixel(v, v.videoWidth, v.videoHeight);
  return r;
}

(async () => {
  for (const {name, type} of videos) {
    let r;
    try { r = await check(name, type); } catch (e) { r = {name: name, played: false, error: "exception: " + e}; }
    await post(r);
  }
  await post({done: true});
})();
</script>
</body></html>
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the test directory and collects the page's results."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.results.append(body)
        if body.get("done"):
            self.server.finished.set()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def play_in_chromium(directory, names, timeout=120):
    """Plays each video (file names in `directory`) in headless Chromium; returns {name: result}.

    A result has: played (time advanced), error, videoWidth, videoHeight, duration, pixel (the
    mean RGB of a 16x16 block in the middle of the frame on a canvas) and canPlayType (the
    browser's answer for the file's MIME type and codecs string)."""
    with open(os.path.join(directory, "page.html"), "w") as f:
        f.write(PAGE)

    class Server(http.server.ThreadingHTTPServer):
        def __init__(self, *a, **kw):
            self.results = []
            self.finished = threading.Event()
            super().__init__(*a, **kw)

    handler = lambda *a, **kw: _Handler(*a, directory=directory, **kw)  # noqa: E731
    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    profile = tempfile.mkdtemp(prefix="framepipe-chromium-")
    spec = json.dumps([{"name": n, "type": mime_type(os.path.join(directory, n))} for n in names])
    url = f"http://127.0.0.1:{server.server_address[1]}/page.html?videos={urllib.parse.quote(spec)}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
           f"--user-data-dir={profile}", url]
    log_path = os.path.join(directory, "chromium.log")
    log = open(log_path, "wb")
    # A HOME of its own: CI users may have none that is writable, and nothing of the user's leaks in.
    env = dict(os.environ, HOME=profile, XDG_CONFIG_HOME=os.path.join(profile, "config"),
               XDG_CACHE_HOME=os.path.join(profile, "cache"))
    browser = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    try:
        if not server.finished.wait(timeout):
            with open(log_path, errors="replace") as f:
                tail = "".join(f.readlines()[-20:])
            raise AssertionError(f"Chromium did not report back within {timeout} s (exit status "
                                 f"{browser.poll()}); results so far: {server.results}; its log:\n{tail}")
    finally:
        browser.terminate()
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        log.close()
        server.shutdown()
        server.server_close()
        shutil.rmtree(profile, ignore_errors=True)
    return {r["name"]: r for r in server.results if "name" in r}


# H.264 profile names as ffprobe prints them -> the profile_idc and constraint bytes of an RFC 6381
# codecs string (avc1.PPCCLL).
AVC_PROFILES = {"Constrained Baseline": "42C0", "Baseline": "4200", "Main": "4D40", "High": "6400",
                "High 10": "6E00", "High 4:2:2": "7A00", "High 4:4:4 Predictive": "F400"}


def mime_type(path):
    """The MIME type with an RFC 6381 codecs string, for canPlayType(); None for other codecs."""
    stream, fmt = fp.ffprobe(path, count_frames=False)
    container = "video/webm" if "webm" in fmt["format_name"] and path.endswith(".webm") else "video/mp4"
    if stream["codec_name"] == "h264" and stream.get("profile") in AVC_PROFILES:
        return f'{container}; codecs="avc1.{AVC_PROFILES[stream["profile"]]}{int(stream["level"]):02X}"'
    if stream["codec_name"] in ("vp8", "vp9"):
        return f'{container}; codecs="{stream["codec_name"]}"'
    if stream["codec_name"] == "av1":
        return f'{container}; codecs="av01.0.08M.08"'  # main profile, level 4.0, 8 bits
    return None


def solid(rgb, frames=FRAMES, size=SIZE):
    w, h = size
    return fp.testsrc(frames, size=f"{w}x{h}", pix_fmt="rgb24", fps=str(FPS),
                      extra=("--solid", ",".join(map(str, rgb))))


def preset_names():
    out = fp.run_framepipe(["--list-presets"]).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip() and " INVALID: " not in line]


# Solid colours and what Chromium must show for them, within TOLERANCE levels per channel. The
# BT.601-instead-of-BT.709 mistake moves green (0,200,60) to about (0,173,61): far outside.
COLOURS = {"grey": (128, 128, 128), "green": (0, 200, 60), "blue": (40, 60, 230), "orange": (230, 120, 20)}
# Limited ("tv") range, the default, costs saturated colours a few levels: blue (40,60,230) shows as
# (39,59,220) and orange (230,120,20) as (230,121,26) in Chromium 156.
TOLERANCE = 12


class BrowserPlayback(fp.TempDirTest):

    def encode(self, name, rgb, args):
        w, h = SIZE
        return fp.run_framepipe(["-s", f"{w}x{h}", "--pix-fmt", "rgb24", "-r", str(FPS), "-q", *args, name],
                                solid(rgb))

    def ffmpeg_encode(self, name, rgb, *options):
        """A file made by ffmpeg alone, the way people do it by hand: ffmpeg's defaults plus options."""
        w, h = SIZE
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "rawvideo", "-pix_fmt", "rgb24",
                        "-s", f"{w}x{h}", "-r", str(FPS), "-i", "-", "-c:v", "libx264", "-preset", "ultrafast",
                        *options, name], input=solid(rgb), check=True)

    def test_default_preset_plays_with_true_colours(self):
        names = []
        for label, rgb in COLOURS.items():
            name = f"default-{label}.mp4"
            proc = self.encode(name, rgb, [])
            self.assertEqual(proc.returncode, 0, proc.stderr)
            names.append(name)
        # The control: ffmpeg's own defaults (BT.601 matrix, untagged) on the same green. If this
        # showed the right colour too, the check above would prove nothing.
        self.ffmpeg_encode("ffmpeg-defaults-green.mp4", COLOURS["green"], "-pix_fmt", "yuv420p")
        results = play_in_chromium(self.dir, names + ["ffmpeg-defaults-green.mp4"])
        for label, rgb in COLOURS.items():
            r = results[f"default-{label}.mp4"]
            print(f"\n{label} {rgb}: Chromium showed {r.get('pixel')}", file=sys.stderr)
            with self.subTest(colour=label):
                self.assertTrue(r.get("played"), r)
                self.assertEqual(r["canPlayType"], "probably", r)
                self.assertEqual((r["videoWidth"], r["videoHeight"]), SIZE, r)
                self.assertAlmostEqual(r["duration"], FRAMES / FPS, delta=0.1, msg=r)
                diff = [abs(a - b) for a, b in zip(r["pixel"], rgb)]
                self.assertLessEqual(max(diff), TOLERANCE, f"sent {rgb}, Chromium showed {r['pixel']}")
        control = results["ffmpeg-defaults-green.mp4"]
        self.assertTrue(control.get("played"), control)
        diff = [abs(a - b) for a, b in zip(control["pixel"], COLOURS["green"])]
        self.assertGreater(max(diff), TOLERANCE,
                           f"an untagged BT.601 file showed {control['pixel']}: the colour check cannot see "
                           "matrix mistakes any more")

    def test_yuv444_and_lossless_h264_are_not_safe_for_browsers(self):
        # The catalogue's presets when it has them, else such files made by ffmpeg directly.
        presets = preset_names()
        names = []
        for preset, pix_fmt, crf in (("x264-444", "yuv444p", "17"), ("x264-lossless", "yuv420p", "0")):
            name = f"{preset}.mp4"
            if preset in presets:
                proc = self.encode(name, COLOURS["green"], ["-p", preset])
                self.assertEqual(proc.returncode, 0, proc.stderr)
            else:
                self.ffmpeg_encode(name, COLOURS["green"], "-crf", crf, "-pix_fmt", pix_fmt)
            stream, _ = fp.ffprobe(name, count_frames=False)
            self.assertEqual(stream["profile"], "High 4:4:4 Predictive", stream)
            names.append(name)
        results = play_in_chromium(self.dir, names)
        for name in names:
            r = results[name]
            with self.subTest(video=name):
                # Chromium 156 decodes these in software and plays them, but reports them only as
                # "maybe" playable: hardware decoders, Firefox and Safari are not required to
                # play High 4:4:4 Predictive. The default preset's files are "probably".
                self.assertNotEqual(r["canPlayType"], "probably", r)
                print(f"\n{name}: played={r.get('played')} canPlayType={r['canPlayType']!r} "
                      f"pixel={r.get('pixel')}", file=sys.stderr)


def container_for(preset):
    """The first output extension the preset accepts, found with --dry-run."""
    for ext in ("mp4", "webm", "mkv", "mov", "gif", "ts"):
        if fp.run_framepipe(["-s", "64x64", "--dry-run", "-p", preset, f"x.{ext}"]).returncode == 0:
            return ext
    return None


@unittest.skipUnless(os.environ.get("FRAMEPIPE_BROWSER_REPORT"), "set FRAMEPIPE_BROWSER_REPORT=1 for the table")
class PresetReport(fp.TempDirTest):
    """Not a check: prints which presets play in Chromium, for docs/presets.md."""

    def test_report(self):
        names, rows = [], {}
        for preset in preset_names():
            ext = container_for(preset)
            if ext is None:
                rows[preset] = "no container found"
                continue
            name = f"{preset}.{ext}"
            w, h = SIZE
            proc = fp.run_framepipe(["-s", f"{w}x{h}", "--pix-fmt", "rgb24", "-r", str(FPS), "-q",
                                     "--no-fallback", "-p", preset, name], solid(COLOURS["green"]))
            if proc.returncode != 0:
                rows[preset] = f"not encoded here (exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1]})"
                continue
            names.append(name)
        results = play_in_chromium(self.dir, names) if names else {}
        for name in names:
            r = results.get(name, {})
            preset = name.rsplit(".", 1)[0]
            if r.get("played"):
                how = "shows in <img>" if r.get("element") == "img" else "plays in <video>"
                rows[preset] = (f"{how}; canPlayType {r.get('canPlayType')!r}; green {COLOURS['green']} "
                                f"shows as {tuple(r['pixel'])}")
            else:
                rows[preset] = f"does not play ({r.get('error', 'no progress')})"
        print()
        for preset, text in rows.items():
            print(f"| {preset} | {text} |")


if __name__ == "__main__":
    unittest.main()
