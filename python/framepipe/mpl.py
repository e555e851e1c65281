"""matplotlib movie writer "framepipe", registered when this module is imported.

    import framepipe.mpl
    ani.save("out.mp4", writer="framepipe", fps=60)
    ani.save("out.mp4", writer=framepipe.mpl.FramepipeWriter(fps=60, preset="vp9", overwrite=True))

    matplotlib.rcParams["animation.writer"] = "framepipe"   # to_html5_video() and notebooks too

Each frame is the canvas's own RGBA pixels (buffer_rgba()) after a draw: no image is encoded in
between. The figure's size is never changed (framepipe pads odd sizes itself), an existing file
is never replaced unless overwrite=True, and a figure resized while saving is refused.
"""
import io
import warnings

import matplotlib.animation as animation
import matplotlib.colors as mcolors
import numpy as np

from . import _cli
from .errors import FramepipeError
from .writer import Writer

# matplotlib's writers take their options from save(); these are framepipe's for a writer made by
# name (writer="framepipe"): e.g. framepipe.mpl.defaults["overwrite"] = True.
defaults = {"preset": None, "overwrite": False, "executable": None, "progress": None}

# savefig arguments that the canvas pixels can follow without going through savefig; matplotlib
# 3.10 passes facecolor and transparent=False to every grab_frame of a writer without alpha.
_PATCH_KWARGS = ("facecolor", "edgecolor")
# As matplotlib 3.8's own writers: these would change a frame's size or format.
_REFUSED_KWARGS = ("dpi", "bbox_inches", "format")
_H264 = (None, "h264", "libx264")


@animation.writers.register("framepipe")
class FramepipeWriter(animation.AbstractMovieWriter):
    """A matplotlib movie writer that sends the canvas pixels to the framepipe program.

    fps, codec, bitrate and metadata are matplotlib's (codec other than h264 is ignored: choose
    the encoder with preset=); extra_args go to ffmpeg after the preset's options. The other
    keyword arguments are framepipe.Writer's (preset, overwrite, progress, executable, frames...).
    """

    def __init__(self, fps=5, codec=None, bitrate=None, extra_args=None, metadata=None, **writer_options):
        super().__init__(fps=fps, metadata=metadata, codec=codec, bitrate=bitrate)
        if self.codec not in _H264:
            warnings.warn(f"framepipe's writer ignores codec={self.codec!r}: pick the encoder with "
                          "preset= (framepipe --list-presets)", stacklevel=2)
        args = list(extra_args or ())
        if self.bitrate is not None and self.bitrate > 0:
            args += ["-b:v", f"{self.bitrate}k"]
        for key, value in self.metadata.items():
            args += ["-metadata", f"{key}={value}"]
        self._writer_options = {**defaults, **writer_options, "extra_args": args}
        self._writer = None
        self.result = None

    @classmethod
    def isAvailable(cls):
        try:
            _cli.find_executable(defaults["executable"])
            return True
        except FramepipeError:
            return False

    def _supports_transparency(self):
        return False  # the pixel formats framepipe writes by default have no alpha

    def setup(self, fig, outfile, dpi=None):
        super().setup(fig, outfile, dpi)
        self._writer = Writer(outfile, fps=self.fps, **self._writer_options)
        self._size = None

    def grab_frame(self, **savefig_kwargs):
        refused = sorted(set(savefig_kwargs) & set(_REFUSED_KWARGS))
        if refused:
            raise TypeError(f"grab_frame() got {', '.join(refused)}: the movie writer sets the frame's size "
                            "and format itself")
        # Animation.save has just drawn the canvas (its draw_idle() draws at once on Agg), so
        # the frame is there unless something changed since: drawing it again would double the
        # cost of every frame.
        frame = grab(self.fig, self.dpi, self.frame_size, savefig_kwargs, draw=self.fig.stale)
        size = (frame.shape[1], frame.shape[0])
        if self._size is not None and size != self._size:
            raise ValueError(f"the figure is now {size[0]}x{size[1]} pixels, but the video's first frame was "
                             f"{self._size[0]}x{self._size[1]}: keep the figure's size and dpi fixed while "
                             "saving (framepipe does not rescale frames)")
        self._size = size
        self._writer.write(frame)

    def finish(self):
        writer, self._writer = self._writer, None
        if writer is not None:
            self.result = writer.close()


def _fast_path(fig, dpi, savefig_kwargs):
    """True when the canvas, drawn as it is, gives the frame savefig would."""
    transparent = savefig_kwargs.get("transparent")
    others = set(savefig_kwargs) - set(_PATCH_KWARGS) - {"transparent"}
    return (hasattr(fig.canvas, "buffer_rgba") and dpi == fig.dpi and not others and not transparent)


def grab(fig, dpi=None, frame_size=None, savefig_kwargs=None, draw=True):
    """The figure's pixels as an HxWx4 uint8 array (a view of the canvas's buffer when it can be).

    The canvas is drawn (unless draw is false and the colours asked for are the patch's) and its
    buffer taken as it is when it is an Agg canvas at the requested dpi (HiDPI canvases included:
    their buffer has the physical pixels); otherwise savefig renders raw RGBA at that dpi,
    frame_size (width, height) telling the rows apart."""
    savefig_kwargs = savefig_kwargs or {}
    dpi = fig.dpi if dpi is None else dpi
    if _fast_path(fig, dpi, savefig_kwargs):
        patch = fig.patch
        # matplotlib 3.10 asks for the figure's own facecolor on every frame: no reason to redraw.
        saved = {key: getattr(patch, f"get_{key}")() for key in _PATCH_KWARGS
                 if key in savefig_kwargs and
                 mcolors.to_rgba(savefig_kwargs[key]) != tuple(getattr(patch, f"get_{key}")())}
        for key in saved:
            getattr(patch, f"set_{key}")(savefig_kwargs[key])
        try:
            if draw or saved:
                fig.canvas.draw()
        finally:
            for key, value in saved.items():
                getattr(patch, f"set_{key}")(value)
        return np.asarray(fig.canvas.buffer_rgba())
    buf = io.BytesIO()
    fig.savefig(buf, **{**savefig_kwargs, "format": "rgba", "dpi": dpi})
    if frame_size is None:
        w, h = fig.get_size_inches()
        frame_size = int(w * dpi), int(h * dpi)
    width, height = frame_size
    data = buf.getbuffer()
    if len(data) != width * height * 4:
        raise ValueError(f"savefig gave {len(data)} bytes of RGBA, not the {width}x{height} pixels the figure's "
                         "size and dpi give: keep the figure's size fixed while saving")
    return np.frombuffer(data, np.uint8).reshape(height, width, 4)


def write_figures(fig, path, frames, update, fps=30, **writer_options):
    """Calls update(item) for each item of `frames` (or range(frames) for a number) and writes
    the figure after each call as a frame of the video at `path`; returns the Result."""
    items = range(frames) if isinstance(frames, int) else frames
    with Writer(path, fps=fps, **writer_options) as writer:
        for item in items:
            update(item)
            writer.write(grab(fig))
    return writer.result
