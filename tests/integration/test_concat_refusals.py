"""framepipe concat refuses segments that do not join, each with its own message and exit status 9,
leaving nothing behind; --segment-start refuses presets that cannot make segments; the subcommand
and the main command share argv[1] without stepping on each other."""
import glob
import json
import os
import random
import shutil

import fp


def leftovers(directory, keep):
    """Files in `directory` other than `keep`: an output or a temporary file left behind."""
    return sorted(set(os.listdir(directory)) - set(keep))


class Refusals(fp.TempDirTest):
    def segment(self, name, start, frames, **kw):
        proc = fp.make_segment(name, start, frames, **kw)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return name

    def refused(self, segments, message, status=fp.EXIT_SEGMENTS, extra=()):
        before = os.listdir(self.dir)
        proc = fp.run_framepipe(["concat", *extra, "out.mp4", *segments])
        self.assertEqual(proc.returncode, status, proc.stderr)
        self.assertIn(f"framepipe: error: {message}", proc.stderr)
        self.assertEqual(leftovers(self.dir, before), [], "nothing is written")
        return proc

    def test_each_problem_is_refused_with_its_own_message(self):
        a = self.segment("a.mp4", 0, 10)
        b = self.segment("b.mp4", 10, 10)
        c = self.segment("c.mp4", 20, 10)
        with self.subTest("missing"):
            self.refused([c, a], "frames 10-19 are missing: no segment starts at 10 ('a.mp4' ends at "
                                 "frame 9, 'c.mp4' starts at 20)")
        with self.subTest("missing at the end, with --frames"):
            self.refused([a, b], "frames 20-29 are missing: no segment starts at 20 (--frames is 30)",
                         extra=["--frames", "30"])
        with self.subTest("overlapping"):
            over = self.segment("over.mp4", 5, 10)
            self.refused([a, over, b], "segment 'over.mp4' (frames 5-14) overlaps 'a.mp4' (frames 0-9): "
                                       "frames 5-9 are in both; remove one")
        with self.subTest("another preset"):
            other = self.segment("other.mp4", 10, 10, preset="x264-crf23")
            self.refused([a, other], "segment 'other.mp4' was made with preset x264-crf23, but 'a.mp4' "
                                     "with x264-crf17")
        with self.subTest("another size"):
            small = self.segment("small.mp4", 10, 10, size="160x120")
            self.refused([a, small], "segment 'small.mp4' does not match 'a.mp4': its width is 160, not 320")
        with self.subTest("truncated mp4"):
            with open(b, "rb") as f:
                data = f.read()
            with open("cut.mp4", "wb") as f:
                f.write(data[: len(data) * 2 // 3])
            proc = self.refused([a, "cut.mp4"], "segment 'cut.mp4' is ")
            self.assertRegex(proc.stderr, r"segment 'cut.mp4' is (damaged or )?truncated")
        with self.subTest("truncated mkv"):
            self.segment("a.mkv", 0, 10)
            self.segment("b.mkv", 10, 10)
            with open("b.mkv", "rb") as f:
                data = f.read()
            with open("cut.mkv", "wb") as f:
                f.write(data[: len(data) // 2])
            proc = fp.run_framepipe(["concat", "out.mkv", "a.mkv", "cut.mkv"])
            self.assertEqual(proc.returncode, fp.EXIT_SEGMENTS, proc.stderr)
            self.assertRegex(proc.stderr, r"framepipe: error: segment 'cut.mkv' is (damaged or )?truncated")
            self.assertFalse(os.path.exists("out.mkv"))
        with self.subTest("no framepipe metadata"):
            plain = fp.run_framepipe(["-s", "320x240", "-p", "x264-crf17", "plain.mp4"], fp.testsrc(10))
            self.assertEqual(plain.returncode, 0, plain.stderr)
            self.refused([a, "plain.mp4"], "'plain.mp4' is not a framepipe segment (it has no segment tag): "
                                           "make each segment with 'framepipe --segment-start N ...'")
        with self.subTest("not a file"):
            self.refused([a, "nothere.mp4"], "cannot read segment 'nothere.mp4': No such file or directory")
        with self.subTest("output exists"):
            open("taken.mp4", "w").close()
            proc = fp.run_framepipe(["concat", "taken.mp4", a, b])
            self.assertEqual(proc.returncode, fp.EXIT_OUTPUT, proc.stderr)
            self.assertEqual(os.path.getsize("taken.mp4"), 0)
        with self.subTest("output is a segment"):
            proc = fp.run_framepipe(["concat", "-y", a, a, b])
            self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
            self.assertIn("the output 'a.mp4' is also given as a segment", proc.stderr)

    def test_a_join_that_does_not_decode_fails_verification_and_writes_nothing(self):
        # A real damaged key frame: the segment checks read only the index, which is intact, and
        # the join copies the damage, so only decoding the joined video's key frames finds it.
        a = self.segment("a.mp4", 0, 10)
        b = self.segment("b.mp4", 10, 10)
        size, pos = fp.first_packet_size_and_pos(b)
        rng = random.Random(7)
        with open(b, "r+b") as f:
            f.seek(pos + size // 3)
            f.write(bytes(rng.randrange(256) for _ in range(size // 3)))
        proc = fp.run_framepipe(["concat", "out.mp4", a, b])
        self.assertEqual(proc.returncode, fp.EXIT_FFMPEG_FAILED, proc.stderr)
        # What ffmpeg said comes last, after the whole sentence.
        self.assertIn("framepipe: error: the joined video failed verification: it does not decode "
                      "cleanly; nothing was written and the segments were kept\n  ffmpeg said:\n"
                      "    [h264 @ ", proc.stderr)
        self.assertEqual(leftovers(self.dir, [a, b]), [])

    def test_a_matroska_join_that_does_not_decode_fails_verification(self):
        # Matroska's demuxer cannot leave out the frames between key frames unread, so ffprobe
        # checks a joined .mkv: here one that says what a broken seam makes it say.
        a = self.segment("a.mkv", 0, 10)
        b = self.segment("b.mkv", 10, 10)
        fake = os.path.join(self.dir, "ffprobe-broken-seam")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\ncase \"$*\" in *-count_frames*) "
                    "echo '[h264 @ 0x1] error while decoding MB 3 2' >&2;; esac\n"
                    f"exec '{shutil.which('ffprobe')}' \"$@\"\n")
        os.chmod(fake, 0o755)
        proc = fp.run_framepipe(["concat", "--ffprobe", fake, "out.mkv", a, b])
        self.assertEqual(proc.returncode, fp.EXIT_FFMPEG_FAILED, proc.stderr)
        self.assertIn("framepipe: error: the joined video failed verification: it does not decode "
                      "cleanly; nothing was written and the segments were kept\n  ffprobe said:\n"
                      "    [h264 @ 0x1] error while decoding MB 3 2", proc.stderr)
        self.assertEqual(leftovers(self.dir, [a, b, "ffprobe-broken-seam"]), [])

    def test_joined_then_segments_removed_and_stats_written(self):
        for ext, joined_by in (("mkv", "ffmpeg"), ("mp4", "framepipe")):
            with self.subTest(container=ext):
                names = [self.segment(f"part-{s}.{ext}", s, 10) for s in (20, 0, 10)]
                proc = fp.run_framepipe(["concat", "--remove-segments", "--stats-json", "stats.json",
                                         "--progress", "json", f"out.{ext}", *names])
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(glob.glob("part-*"), [], "removed once the join was verified")
                self.assertEqual(fp.frames_in(f"out.{ext}"), 30)
                with open("stats.json") as f:
                    stats = json.load(f)
                self.assertEqual((stats["command"], stats["segments"], stats["frames"],
                                  stats["exit_status"], stats["joined_by"]),
                                 ("concat", 3, 30, 0, joined_by))
                self.assertTrue(stats["segments_removed"])
                end = fp.json_lines(proc.stderr)[-1]
                self.assertEqual((end["event"], end["frames_encoded"]), ("end", 30))

    def test_a_refused_join_keeps_the_segments_and_writes_stats(self):
        a = self.segment("a.mkv", 0, 10)
        c = self.segment("c.mkv", 20, 10)
        proc = fp.run_framepipe(["concat", "--remove-segments", "--stats-json", "s.json", "o.mkv", a, c])
        self.assertEqual(proc.returncode, fp.EXIT_SEGMENTS)
        self.assertTrue(os.path.exists(a) and os.path.exists(c))
        self.assertEqual(json.load(open("s.json"))["exit_status"], fp.EXIT_SEGMENTS)


class SegmentStart(fp.TempDirTest):
    def test_presets_that_cannot_join_are_refused(self):
        for preset, out, message in [
            ("gif", "a.gif", "--segment-start: preset 'gif' (gif) cannot make segments that join without "
                             "re-encoding; use an x264, vp9, av1, ffv1 or prores preset (e.g. -p x264-crf17)"),
            ("nvenc-8M", "a.mp4", "--segment-start: preset 'nvenc-8M' (h264_nvenc) cannot make segments"),
            ("auto", "a.mp4", "--segment-start cannot be used with -p auto"),
            ("x264-crf17", "a.ts", "--segment-start: .ts segments cannot be joined without re-encoding"),
        ]:
            with self.subTest(preset=preset, output=out):
                proc = fp.run_framepipe(["-s", "320x240", "-p", preset, "--segment-start", "0", out],
                                        fp.testsrc(2))
                self.assertEqual(proc.returncode, fp.EXIT_USAGE, proc.stderr)
                self.assertIn(f"framepipe: error: {message}", proc.stderr)
                self.assertFalse(os.path.exists(out))

    def test_dry_run_shows_the_segment_setup(self):
        proc = fp.run_framepipe(["-s", "320x240", "-p", "x264-crf17", "--segment-start", "300", "--dry-run",
                                 "p.mp4"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("-x264-params stitchable=1", proc.stdout)
        self.assertIn("-video_track_timescale 15360", proc.stdout)
        self.assertIn("'comment=framepipe-segment start=300 rate=30/1 preset=x264-crf17'", proc.stdout)
        plain = fp.run_framepipe(["-s", "320x240", "-p", "x264-crf17", "--dry-run", "p.mp4"])
        self.assertNotIn("stitchable", plain.stdout)


class Dispatch(fp.TempDirTest):
    def test_concat_is_a_subcommand_only_as_the_first_argument(self):
        help_text = fp.run_framepipe(["concat", "--help"]).stdout
        self.assertIn("framepipe concat", help_text)
        self.assertIn("--remove-segments", help_text)
        main_help = fp.run_framepipe(["--help"]).stdout
        self.assertIn("--segment-start", main_help)
        proc = fp.run_framepipe(["concat"])
        self.assertEqual(proc.returncode, fp.EXIT_USAGE)
        self.assertIn("no output and no segments given", proc.stderr)
        # Anywhere else "concat" is the main command's output file, as before.
        proc = fp.run_framepipe(["-s", "320x240", "-o", "concat.mp4"], fp.testsrc(3))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(fp.frames_in("concat.mp4"), 3)


if __name__ == "__main__":
    import unittest
    unittest.main()
