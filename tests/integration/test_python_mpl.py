"""framepipe.mpl with Debian's matplotlib: the "framepipe" movie writer in Animation.save and
to_html5_video, the canvas pixels as they are drawn (odd sizes, HiDPI, savefig arguments), and
write_figures."""
import base64
import re

import numpy as np

import fp
import fp_python  # noqa: F401 - makes framepipe importable
import matplotlib

matplotlib.use("Agg")
import matplotlib.animation as animation  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

import framepipe  # noqa: E402
import framepipe.mpl  # noqa: E402

GREEN = (0, 200, 60)


def green_figure(width_in=3.21, height_in=2.41, dpi=100):
    fig = plt.figure(figsize=(width_in, height_in), dpi=dpi, facecolor=np.array(GREEN) / 255)
    (line,) = fig.add_subplot().plot([0, 1], [0, 1])
    return fig, line


def center_rgb(path, size):
    w, h = map(int, size.split("x"))
    rgb = fp.decode_frame(path, 0, "rgb24", size)
    # The top-left corner is the figure's background, outside the axes.
    i = (3 * w + 3) * 3
    return tuple(rgb[i:i + 3])


class MovieWriter(fp.TempDirTest):

    def tearDown(self):
        plt.close("all")
        super().tearDown()

    def animation(self, fig, line, frames=12):
        return animation.FuncAnimation(fig, lambda i: line.set_ydata([0, i / frames]), frames=frames)

    def assertNear(self, rgb, expected, tolerance=8):
        self.assertTrue(all(abs(a - b) <= tolerance for a, b in zip(rgb, expected)), (rgb, expected))

    def test_registered_and_available(self):
        self.assertIn("framepipe", animation.writers.list())
        self.assertIs(animation.writers["framepipe"], framepipe.mpl.FramepipeWriter)

    def test_save_by_name_keeps_the_odd_size_and_the_colours(self):
        fig, line = green_figure()
        self.animation(fig, line).save("a.mp4", writer="framepipe", fps=24)
        stream, _ = fp.ffprobe("a.mp4")
        # 321x241 drawn, padded by one column and row by the program.
        self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])), (322, 242, 12))
        self.assertEqual(stream["r_frame_rate"], "24/1")
        self.assertNear(center_rgb("a.mp4", "322x242"), GREEN)

    def test_an_instance_with_a_preset_and_extra_args(self):
        fig, line = green_figure(3.2, 2.4)
        writer = framepipe.mpl.FramepipeWriter(fps=10, preset="vp9", extra_args=["-metadata", "title=run 42"],
                                               metadata={"artist": "me"})
        self.animation(fig, line).save("a.webm", writer=writer)
        stream, fmt = fp.ffprobe("a.webm")
        self.assertEqual(stream["codec_name"], "vp9")
        self.assertEqual(fmt["tags"].get("title") or fmt["tags"].get("TITLE"), "run 42")
        self.assertEqual(fmt["tags"].get("artist") or fmt["tags"].get("ARTIST"), "me")
        self.assertEqual(writer.result.frames, 12)

    def test_never_overwrites_unless_asked(self):
        fig, line = green_figure()
        with open("a.mp4", "wb") as f:
            f.write(b"old")
        ani = self.animation(fig, line)
        with self.assertRaisesRegex(framepipe.OutputExistsError, "already exists: pass overwrite=True"):
            ani.save("a.mp4", writer="framepipe")
        with open("a.mp4", "rb") as f:
            self.assertEqual(f.read(), b"old")
        ani.save("a.mp4", writer=framepipe.mpl.FramepipeWriter(overwrite=True))
        self.assertEqual(fp.frames_in("a.mp4"), 12)

    def test_hidpi_canvas_gives_its_physical_pixels(self):
        fig, line = green_figure(3.2, 2.4)
        fig.canvas._set_device_pixel_ratio(2)  # what Qt, GTK and macOS canvases do on a HiDPI screen
        self.animation(fig, line).save("a.mp4", writer="framepipe")
        stream, _ = fp.ffprobe("a.mp4")
        self.assertEqual((stream["width"], stream["height"]), (640, 480))

    def test_another_dpi_goes_through_savefig(self):
        fig, line = green_figure(3.2, 2.4)
        self.animation(fig, line).save("a.mp4", writer="framepipe", dpi=50)
        stream, _ = fp.ffprobe("a.mp4")
        self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])), (160, 120, 12))
        self.assertNear(center_rgb("a.mp4", "160x120"), GREEN)

    def test_a_resized_figure_is_refused_and_the_frames_before_are_kept(self):
        fig, line = green_figure(3.2, 2.4)

        def update(i):
            if i == 5:
                fig.set_size_inches(4, 3)
            line.set_ydata([0, i])

        with self.assertRaisesRegex(ValueError, "the figure is now 400x300 pixels, but the video's first frame "
                                                "was 320x240: keep the figure's size"):
            animation.FuncAnimation(fig, update, frames=10).save("a.mp4", writer="framepipe")
        self.assertEqual(fp.frames_in("a.mp4"), 5)

    def test_each_frame_is_drawn_once_and_shows_its_own_state(self):
        fig = plt.figure(figsize=(1.6, 1.2), dpi=100)
        ax = fig.add_axes([0, 0, 1, 1])
        im = ax.imshow(np.zeros((4, 4)), cmap="gray", vmin=0, vmax=1, animated=True)
        levels = [0.1, 0.9, 0.3, 0.7, 0.5]

        def update(i):
            im.set_array(np.full((4, 4), levels[i]))
            return (im,)

        draws = []
        original = type(fig).draw
        try:
            type(fig).draw = lambda self, renderer: (draws.append(1), original(self, renderer))[1]
            animation.FuncAnimation(fig, update, frames=len(levels), blit=True).save("a.mp4", writer="framepipe")
        finally:
            type(fig).draw = original
        # matplotlib's writers draw every frame twice: in Animation.save's draw_idle() and again
        # in savefig. The first draw (before frame 0) is the animation's initial one.
        self.assertEqual(len(draws), len(levels) + 1)
        for i, level in enumerate(levels):
            gray = fp.decode_frame("a.mp4", i, "gray", "160x120")
            self.assertAlmostEqual(gray[60 * 160 + 80] / 255, level, delta=0.05, msg=f"frame {i}")

    def test_a_manual_grab_loop_sees_each_change(self):
        fig = plt.figure(figsize=(1.6, 1.2), dpi=100)
        writer = framepipe.mpl.FramepipeWriter(fps=5)
        with writer.saving(fig, "a.mp4", dpi=fig.dpi):
            for level in (0.2, 0.8):
                fig.set_facecolor((level, level, level))
                writer.grab_frame()
        for i, level in enumerate((0.2, 0.8)):
            gray = fp.decode_frame("a.mp4", i, "gray", "160x120")
            self.assertAlmostEqual(gray[60 * 160 + 80] / 255, level, delta=0.05, msg=f"frame {i}")

    def test_savefig_arguments(self):
        fig, _ = green_figure(3.2, 2.4)
        writer = framepipe.mpl.FramepipeWriter(fps=5)
        with writer.saving(fig, "a.mp4", dpi=fig.dpi):
            # matplotlib 3.10 passes these to every frame of a writer without transparency.
            writer.grab_frame(facecolor=np.array([1.0, 0.0, 0.0]), transparent=False)
            with self.assertRaisesRegex(TypeError, "got bbox_inches, dpi"):
                writer.grab_frame(dpi=50, bbox_inches="tight")
            writer.grab_frame(transparent=True)
        self.assertNear(center_rgb("a.mp4", "320x240"), (255, 0, 0))
        self.assertNear(np.round(np.array(fig.get_facecolor()[:3]) * 255), GREEN, 1)
        self.assertEqual(fp.frames_in("a.mp4"), 2)

    def test_to_html5_video_goes_through_framepipe(self):
        fig, line = green_figure(3.2, 2.4)
        ani = animation.FuncAnimation(fig, lambda i: line.set_ydata([0, i]), frames=6, interval=40)
        with matplotlib.rc_context({"animation.writer": "framepipe"}):
            html = ani.to_html5_video()
        self.assertIn('width="320" height="240"', html)
        data = re.search(r'base64,([^"]+)"', html).group(1)
        with open("html5.mp4", "wb") as f:
            f.write(base64.b64decode(data))
        stream, _ = fp.ffprobe("html5.mp4")
        self.assertEqual((stream["codec_name"], stream["pix_fmt"], int(stream["nb_read_frames"])),
                         ("h264", "yuv420p", 6))
        self.assertEqual(stream["r_frame_rate"], "25/1")

    def test_write_figures(self):
        fig, line = green_figure(3.2, 2.4)
        seen = []

        def update(i):
            seen.append(i)
            line.set_ydata([0, i])

        result = framepipe.write_figures(fig, "w.mp4", range(7), update, fps=7)
        self.assertEqual(seen, list(range(7)))
        self.assertEqual((result.frames, result.path), (7, "w.mp4"))
        self.assertEqual(fp.ffprobe("w.mp4")[0]["r_frame_rate"], "7/1")
        self.assertNear(center_rgb("w.mp4", "320x240"), GREEN)


if __name__ == "__main__":
    import unittest
    unittest.main()
