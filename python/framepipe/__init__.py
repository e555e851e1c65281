"""framepipe for Python: write numpy arrays and matplotlib figures to videos.

    import framepipe
    with framepipe.Writer("out.mp4", fps=60) as w:
        for frame in frames:
            w.write(frame)

    import framepipe.mpl                     # registers matplotlib's writer "framepipe"
    ani.save("out.mp4", writer="framepipe", fps=60)

It drives the framepipe program (found through executable=, $FRAMEPIPE, then PATH), which
supervises ffmpeg; nothing here is compiled.
"""
from .errors import (EncoderUnavailableError, ExecutableNotFoundError, FfmpegFailedError,
                     FfmpegUnusableError, FramepipeError, InputError, InternalError,
                     InterruptedBySignal, OutputError, OutputExistsError, PresetError, UsageError)
from .writer import FramepipeWarning, Result, Writer

__version__ = "0.1.0"

__all__ = ["Writer", "Result", "write_figures", "FramepipeError", "FramepipeWarning",
           "ExecutableNotFoundError", "UsageError", "InputError", "OutputError", "OutputExistsError",
           "FfmpegFailedError", "FfmpegUnusableError", "EncoderUnavailableError", "PresetError",
           "InterruptedBySignal", "InternalError"]


def write_figures(fig, path, frames, update, fps=30, **writer_options):
    """Writes a video of `fig` as `update(frame)` changes it, for each item of `frames` (an
    iterable, or a number n for range(n)); returns the Result. Needs matplotlib; the canvas
    pixels go to the video as drawn. Other keyword arguments are Writer's."""
    from .mpl import write_figures as _write_figures
    return _write_figures(fig, path, frames, update, fps=fps, **writer_options)
