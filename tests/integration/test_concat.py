"""framepipe --segment-start and framepipe concat, for every preset that makes joinable segments:
the joined video decodes to exactly the frames the segments decode to, in order, with evenly spaced
timestamps, and the web ones play in Chromium."""
import json
import os
import random
import shutil
import subprocess
import unittest

import fp

FPS = 30
# Uneven lengths, none a multiple of a GOP, given to concat out of order.
WINDOWS = [(0, 9), (9, 12), (21, 7)]
CASES = [  # preset, container
    ("x264-superfast-crf17", "mp4"),
    ("x264-crf17", "mkv"),
    ("vp9", "webm"),
    ("av1", "mp4"),
    ("av1", "webm"),
    ("ffv1", "mkv"),
    ("prores", "mov"),
]
WEB = {"mp4", "webm"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class JoinEveryPreset(fp.TempDirTest):
    def join(self, preset, ext):
        names = []
        for start, frames in WINDOWS:
            name = f"{preset}-{start}.{ext}"
            proc = fp.make_segment(name, start, frames, preset=preset, fps=str(FPS))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            names.append(name)
        shuffled = names[::-1]
        out = f"joined-{preset}.{ext}"
        proc = fp.run_framepipe(["concat", "--ffprobe", self.counting_ffprobe(), "--stats-json",
                                 "join.json", out, *shuffled])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open("join.json") as f:
            stats = json.load(f)
        # MP4 and MOV segments are joined by framepipe itself, the others by ffmpeg.
        self.assertEqual(stats["joined_by"], "framepipe" if ext in ("mp4", "mov") else "ffmpeg",
                         stats.get("why_not_joined_by_framepipe"))
        self.assertIn(f"joined 3 segments ({sum(f for _, f in WINDOWS)} frames) into {out}, verified",
                      proc.stderr)
        # MP4 and MOV segments, and the joined MP4 or MOV, are read from their own index: no
        # ffprobe runs. Matroska and WebM segments take one ffprobe each, and so does the check
        # of the joined video.
        runs = 0
        if os.path.exists("ffprobe.log"):
            with open("ffprobe.log") as log:
                runs = len(log.readlines())
            os.unlink("ffprobe.log")
        self.assertEqual(runs, 0 if ext in ("mp4", "mov") else 1 + len(names), f"ffprobe runs for {out}")
        return out, names

    def counting_ffprobe(self):
        """An ffprobe that notes each run in ffprobe.log, then is the real one."""
        path = os.path.join(self.dir, "counting-ffprobe")
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\necho run >> '{self.dir}/ffprobe.log'\nexec '{shutil.which('ffprobe')}' \"$@\"\n")
        os.chmod(path, 0o755)
        return path

    def check_joined(self, out, names, windows=WINDOWS):
        expected = [h for n in names for h in fp.frame_hashes(n)]
        self.assertEqual(len(expected), sum(f for _, f in windows))
        self.assertEqual(fp.frame_hashes(out), expected)
        pts, (num, den) = fp.packet_times(out)
        self.assertEqual(len(pts), len(expected))
        step = den / (num * FPS)
        for i, t in enumerate(pts):
            # within one tick of frame i's time: WebM's millisecond time base rounds each
            self.assertLessEqual(abs(t - pts[0] - i * step), 1.0, f"frame {i} of {out}: {pts[:i + 2]}")
        self.assertTrue(fp.decodes_cleanly(out))
        fmt = fp.ffprobe(out, count_frames=False)[1]
        self.assertNotIn("framepipe-segment", str(fmt.get("tags", {})), "the join is no segment")

    def test_every_preset_joins_exactly(self):
        joined = []
        for preset, ext in CASES:
            with self.subTest(preset=preset, container=ext):
                out, names = self.join(preset, ext)
                self.check_joined(out, names)
                for n in names:
                    self.assertTrue(os.path.exists(n), "segments are kept without --remove-segments")
                if ext in WEB:
                    joined.append(out)
        mp4 = open("joined-x264-superfast-crf17.mp4", "rb").read()
        self.assertLess(mp4.find(b"moov"), mp4.find(b"mdat"), "faststart: the index comes first")
        if not CHROMIUM:
            self.skipTest("chromium is not installed (make test installs it)")
        import test_browser
        results = test_browser.play_in_chromium(self.dir, joined)
        for name in joined:
            with self.subTest(browser=name):
                self.assertTrue(results[name]["played"], results[name])
                self.assertAlmostEqual(results[name]["duration"], 28 / FPS, delta=0.1)

    def join_windows(self, windows, ext, prefix):
        names = []
        for start, frames in windows:
            name = f"{prefix}-{start}.{ext}"
            proc = fp.make_segment(name, start, frames, preset="x264-superfast-crf17", fps=str(FPS))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            names.append(name)
        out = f"{prefix}.{ext}"
        proc = fp.run_framepipe(["concat", "--stats-json", f"{prefix}.json", out, *reversed(names)])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.check_joined(out, names, windows)
        with open(f"{prefix}.json") as f:
            return json.load(f)

    def test_one_and_two_frame_segments_between_reordered_ones(self):
        # x264-superfast codes B-frames, so a 30-frame segment's frames are reordered; 1- and
        # 2-frame segments between such ones have none. The join must keep every frame in order.
        windows = [(0, 30), (30, 1), (31, 2), (33, 30)]
        for ext in ("mp4", "mkv"):
            with self.subTest(container=ext):
                stats = self.join_windows(windows, ext, "short")
                # framepipe shows the short segments' frames later in their decode order, as
                # the first segment's reordering does.
                self.assertEqual(stats["joined_by"], "framepipe" if ext == "mp4" else "ffmpeg")

    def test_a_reordering_framepipe_cannot_carry_is_joined_by_ffmpeg(self):
        # A first segment without reordering gives the joined video no room to show a later
        # segment's B-frames before their decode time: ffmpeg joins it, as exactly.
        stats = self.join_windows([(0, 1), (1, 30)], "mp4", "late")
        self.assertEqual(stats["joined_by"], "ffmpeg")
        self.assertIn("segment 'late-1.mp4': its frames are reordered",
                      stats["why_not_joined_by_framepipe"])

if __name__ == "__main__":
    unittest.main()
