"""framepipe.Writer: numpy arrays (or raw bytes) in, a finished video out."""
import os
import warnings

from . import _cli, _frames
from ._process import CliProcess
from .errors import FramepipeError, InputError, OutputExistsError, error_for


class FramepipeWarning(UserWarning):
    """A warning of the framepipe program, e.g. a hardware encoder it fell back from."""


class Result:
    """What a finished run wrote.

    path: the video; frames: frames in it (as ffmpeg encoded them); bytes: its size;
    encoder and preset: what encoded it; frames_written: frames this Writer sent;
    report: the program's one-line summary; stats: its whole --stats-json document.
    """

    def __init__(self, path, frames_written, stats, report):
        stats = stats or {}
        self.path = path
        self.frames_written = frames_written
        self.stats = stats
        self.report = report
        encoded = stats.get("frames_encoded")
        self.frames = encoded if encoded is not None else stats.get("frames_read", frames_written)
        self.bytes = stats.get("output_bytes")
        self.encoder = stats.get("encoder")
        self.preset = stats.get("preset")
        self.wall_seconds = stats.get("wall_seconds")
        self.encode_fps = stats.get("encode_fps")
        self.speed = stats.get("speed")
        self.bottleneck = stats.get("bottleneck")
        self.interrupted_by = stats.get("interrupted_by")

    def __repr__(self):
        return (f"Result(path={self.path!r}, frames={self.frames}, bytes={self.bytes}, "
                f"encoder={self.encoder!r}, preset={self.preset!r})")


def _message_lines(stderr, prefix):
    """The program's messages starting with `prefix`, each with its indented continuation lines."""
    found, current = [], None
    for line in stderr.splitlines():
        if line.startswith(prefix):
            current = [line]
            found.append(current)
        elif current is not None and line.startswith(" "):
            current.append(line)
        else:
            current = None
    return ["\n".join(lines) for lines in found]


def _error_message(stderr, status):
    start = stderr.find("framepipe: error:")
    if start >= 0:
        return stderr[start:].strip()
    what = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
    tail = "\n".join(stderr.strip().splitlines()[-10:])
    return f"framepipe: error: the framepipe program {what}" + (f"; it said:\n{tail}" if tail else "")


class Writer:
    """Writes frames to a video through the framepipe program.

        with framepipe.Writer("out.mp4", fps=60) as w:
            for frame in frames:          # HxWx3 uint8 arrays, for example
                w.write(frame)
        print(w.result.frames, w.result.bytes)

    The first frame fixes the size and pixel format: uint8 HxW is gray, HxWx3 rgb24, HxWx4
    rgba; uint16 gray16le, rgb48le, rgba64le; float32 HxW grayf32le (pix_fmt= picks another
    layout of the same bytes per pixel, e.g. "bgr24" for OpenCV frames). bytes, bytearray and
    memoryview frames need size= and pix_fmt=. Other keyword arguments become the program's
    options: frames=300 is --frames 300, no_fallback=True is --no-fallback.

    Leaving the `with` block (or close()) finishes the video and returns a Result; a Ctrl-C
    inside the block finishes the video with the frames so far, then the KeyboardInterrupt goes
    on. Failures raise FramepipeError (a subclass per exit status) with the program's message.
    """

    def __init__(self, path, fps=30, preset=None, overwrite=False, crash_safe=False, progress=None,
                 extra_args=(), executable=None, size=None, pix_fmt=None, **options):
        if progress is not None and progress != "bar" and not callable(progress):
            raise ValueError(f"progress={progress!r}: give a callable taking a dict, or \"bar\"")
        _cli.option_args(options)  # refuse a bad option now, not at the first frame
        self.path = os.fspath(path)
        if not overwrite and os.path.lexists(self.path):
            # The program refuses it too, but only once the first frame is in: say it before any
            # frame is computed.
            raise OutputExistsError(f"framepipe: error: output {self.path!r} already exists: pass overwrite=True "
                                    "to replace it, or choose another name", exit_status=4)
        self._executable = _cli.find_executable(executable)
        self._settings = dict(fps=fps, preset=preset, overwrite=overwrite, crash_safe=crash_safe,
                              options=options, extra_args=tuple(extra_args))
        self._progress = progress
        self._layout = _frames.layout_of_bytes(size, pix_fmt) if size is not None else None
        self._pix_fmt = _frames.check_pix_fmt(pix_fmt) if pix_fmt is not None else None
        self._process = None
        self._closed = False
        self.frames_written = 0
        self.result = None

    @property
    def pid(self):
        """The framepipe program's process id once the first frame started it, else None."""
        return self._process.pid if self._process is not None else None

    # The run starts with the first frame, which says what size and pixel format to announce.
    def _start(self):
        argv = _cli.command(self._executable, self.path, self._layout, **self._settings)
        callback = self._progress if callable(self._progress) else None
        self._process = CliProcess(argv, progress=callback, bar=self._progress == "bar")

    def write(self, frame):
        """Sends one frame: a numpy array, or bytes-like with size= and pix_fmt= given."""
        if self._closed:
            raise ValueError(f"write() on a closed framepipe.Writer (its video {self.path!r} is finished)")
        view = self._frame_bytes(frame)
        if self._process is None:
            self._start()
        try:
            self._process.write(view)
        except BrokenPipeError:
            self._closed = True
            self._finish_run(stopped_reading=True)
        finally:
            # A Ctrl-C raised once the frame was sent still leaves that frame in the video.
            self.frames_written += self._process.last_write_complete
        self._process.deliver_progress()

    def _frame_bytes(self, frame):
        if isinstance(frame, (bytes, bytearray, memoryview)):
            if self._layout is None:
                self._layout = _frames.layout_of_bytes(None, None)  # raises: says what is missing
            return _frames.raw_bytes(frame, self._layout)
        if not hasattr(frame, "__array_interface__"):
            raise TypeError(f"a frame must be a numpy array or bytes-like, not {type(frame).__name__}")
        if self._layout is None:
            self._layout = _frames.layout_of_array(frame, self._pix_fmt)
        return _frames.array_bytes(frame, self._layout)

    def _finish_run(self, stopped_reading=False):
        """Waits for the program: its stderr and stats if it succeeded, else raises its error."""
        status, stderr, stats = self._process.finish()
        if status == 0:
            if not stopped_reading:
                return stderr, stats
            message = (f"framepipe: error: the framepipe program stopped reading after "
                       f"{self.frames_written} frames but reported success")
        else:
            message = _error_message(stderr, status)
        raise error_for(status, message, stats=stats, stderr=stderr) from None

    def close(self):
        """Finishes the video and returns the Result (also kept as .result); idempotent."""
        if self._closed:
            return self.result
        self._closed = True
        if self._process is None:
            raise InputError(f"framepipe: error: no frame was written, so no video {self.path!r} was made: "
                             "call write() at least once before close()", exit_status=3)
        stderr, stats = self._finish_run()
        for warning in _message_lines(stderr, "framepipe: warning:"):
            warnings.warn(warning, FramepipeWarning, stacklevel=3)
        reports = _message_lines(stderr, "framepipe: wrote ")
        self.result = Result(self.path, self.frames_written, stats, reports[-1] if reports else None)
        return self.result

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
            return False
        # The block failed (a Ctrl-C, a frame of the wrong shape...): keep the frames written
        # so far as a finished video, and let the block's own exception go on.
        if self._process is None:
            self._closed = True
            return False
        try:
            self.close()
        except FramepipeError as e:
            warnings.warn(f"the video of the frames before the {exc_type.__name__} was not finished: {e}",
                          FramepipeWarning, stacklevel=2)
        return False

    def __del__(self):
        # An abandoned Writer must not leave a zombie or a program waiting for more input.
        process = getattr(self, "_process", None)
        if process is not None and process.returncode is None:
            process.abandon()
