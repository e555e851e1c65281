"""The exceptions framepipe raises, one class per exit status of the framepipe program.

Scripts catch `FramepipeError` for any failure, or a subclass for the one they can act on
(`OutputExistsError` to pick another name, `EncoderUnavailableError` to choose another preset).
"""


class FramepipeError(Exception):
    """The framepipe program failed: `exit_status` is its exit status, `message` its own words.

    `stats` holds its --stats-json document when it wrote one (else None); `stderr` all it said.
    """

    exit_status = None

    def __init__(self, message, exit_status=None, stats=None, stderr=""):
        super().__init__(message)
        self.message = message
        if exit_status is not None:
            self.exit_status = exit_status
        self.stats = stats
        self.stderr = stderr


class ExecutableNotFoundError(FramepipeError):
    """The framepipe program could not be found or started."""


class UsageError(FramepipeError):
    """Exit status 2: an option or value the program refused; nothing was started."""
    exit_status = 2


class InputError(FramepipeError):
    """Exit status 3: no frame arrived, or the input ended inside a frame."""
    exit_status = 3


class OutputError(FramepipeError):
    """Exit status 4: the output cannot be written, or exists and overwrite was not asked for."""
    exit_status = 4


class OutputExistsError(OutputError):
    """Exit status 4 because the output exists: pass overwrite=True or choose another name."""


class FfmpegFailedError(FramepipeError):
    """Exit status 5: ffmpeg failed while encoding; the message ends with its last lines."""
    exit_status = 5


class FfmpegUnusableError(FramepipeError):
    """Exit status 6: ffmpeg is missing, not executable, not ffmpeg, or too old."""
    exit_status = 6


class EncoderUnavailableError(FramepipeError):
    """Exit status 7: the preset's encoder cannot run with this ffmpeg or on this machine."""
    exit_status = 7


class PresetError(FramepipeError):
    """Exit status 8: a preset file is invalid."""
    exit_status = 8


class InterruptedBySignal(FramepipeError):
    """Exit status 128+N: the program was stopped by signal N; the frames so far are kept."""


class InternalError(FramepipeError):
    """Exit status 1: a bug in framepipe."""
    exit_status = 1


_BY_STATUS = {cls.exit_status: cls for cls in (UsageError, InputError, OutputError, FfmpegFailedError,
                                               FfmpegUnusableError, EncoderUnavailableError,
                                               PresetError, InternalError)}


def error_for(exit_status, message, stats=None, stderr=""):
    """The exception for a run of the program that ended with `exit_status` (a negative status
    is a signal that killed it, as subprocess reports it)."""
    if exit_status == OutputError.exit_status and "already exists" in message:
        cls = OutputExistsError
    elif exit_status < 0 or exit_status > 128:
        cls = InterruptedBySignal
    else:
        cls = _BY_STATUS.get(exit_status, FramepipeError)
    return cls(message, exit_status=exit_status, stats=stats, stderr=stderr)
