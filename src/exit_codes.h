// The one table of framepipe's exit statuses. Scripts test these numbers, so they never change
// meaning; README.md and docs/cli.md document the same table.
#pragma once

namespace framepipe {

enum class ExitCode : int {
    ok = 0,
    internal = 1,            // a bug in framepipe: please report it
    usage = 2,               // bad option or value; nothing was started or read
    input = 3,               // the input could not be read, or ended inside a frame
    output = 4,              // the output exists (no -y), or cannot be written or renamed
    ffmpeg_failed = 5,       // ffmpeg exited non-zero or died while encoding
    ffmpeg_unusable = 6,     // ffmpeg missing, not executable, not ffmpeg, or too old
    encoder_unavailable = 7, // the preset's encoder cannot run here and no fallback was allowed
    preset = 8,              // a preset file is invalid (syntax, fields, extends cycle)
    segments = 9, // concat: segments missing, overlapping, mismatched, damaged or not framepipe's
    constraints_unmet = 10, // framepipe bench: no preset meets the constraints given
};

// Interrupted runs exit like a shell does for a signal-killed command, so `make` and CI see the
// conventional 130 for Ctrl-C even though framepipe finished the file cleanly.
constexpr int exit_status_for_signal(int signo) {
    return 128 + signo;
}

constexpr int to_int(ExitCode c) {
    return static_cast<int>(c);
}

} // namespace framepipe
