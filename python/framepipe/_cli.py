"""Finding the framepipe program and turning Writer's arguments into its command line."""
import fractions
import os
import shutil

from .errors import ExecutableNotFoundError

INSTALL_HINT = ("install framepipe ('make install' in its source tree, or its .deb), or pass "
                "executable='/path/to/framepipe', or set $FRAMEPIPE to it")

# Options the Writer sets itself: a user giving them would break how it talks to the program.
_RESERVED = {"output", "input", "size", "pix_fmt", "stats_json", "progress_fd", "dry_run",
             "list_presets", "help", "version"}


def find_executable(executable=None):
    """The framepipe program: `executable`, else $FRAMEPIPE, else `framepipe` on PATH."""
    for origin, candidate in (("executable=", executable), ("$FRAMEPIPE", os.environ.get("FRAMEPIPE"))):
        if candidate:
            candidate = os.fspath(candidate)
            found = shutil.which(candidate) if os.sep not in candidate else candidate
            if found and os.path.isfile(found) and os.access(found, os.X_OK):
                return found
            raise ExecutableNotFoundError(
                f"framepipe: error: {origin} names {candidate!r}, which is not an executable program: "
                f"{INSTALL_HINT}")
    found = shutil.which("framepipe")
    if found:
        return found
    raise ExecutableNotFoundError(f"framepipe: error: the framepipe program is not on PATH: {INSTALL_HINT}")


def fps_text(fps):
    """A frame rate as the program reads it: integers and ratios exactly, other floats as the
    nearest ratio (1000/33 for matplotlib's 33 ms interval), since a rounded decimal would drift."""
    if isinstance(fps, str):
        return fps
    if isinstance(fps, fractions.Fraction):
        return f"{fps.numerator}/{fps.denominator}"
    if float(fps).is_integer():
        return str(int(fps))
    ratio = fractions.Fraction(float(fps)).limit_denominator(1001)
    return f"{ratio.numerator}/{ratio.denominator}"


def option_args(options):
    """--flag VALUE pairs from keyword arguments: frames=300 is --frames 300, no_fallback=True is
    --no-fallback; False and None leave the option out."""
    args = []
    for key, value in options.items():
        if key in _RESERVED:
            raise TypeError(f"framepipe.Writer sets {key}= itself; it cannot be given as an option")
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        args += [flag] if value is True else [flag, os.fspath(value) if hasattr(value, "__fspath__") else str(value)]
    return args


def command(executable, path, layout, fps, preset, overwrite, crash_safe, options, extra_args):
    argv = [executable, "--size", layout.size, "--pix-fmt", layout.pix_fmt, "--fps", fps_text(fps)]
    if preset:
        argv += ["--preset", preset]
    if overwrite:
        argv.append("--overwrite")
    if crash_safe:
        argv.append("--crash-safe")
    argv += option_args(options)
    argv += ["--output", os.fspath(path)]
    extra = [str(a) for a in extra_args]
    return argv + (["--", *extra] if extra else [])
