// The supervisor: one poll loop that relays frames into ffmpeg, drains its stderr and progress
// pipes, reacts to signals, and shuts ffmpeg down in a fixed order (close its stdin and wait;
// then SIGINT; then SIGKILL; always reap). It knows ffmpeg only through ChildProcess.
#pragma once

#include "child_process.h"
#include "log_tail.h"
#include "pipeline/feeder.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe {

struct SupervisorConfig {
    // After ffmpeg's input is closed, how long it may go without a sign of life (stderr or
    // progress output) before it is asked to stop with SIGINT...
    std::chrono::milliseconds finish_timeout{std::chrono::seconds(60)};
    // ...and how long after that before SIGKILL.
    std::chrono::milliseconds kill_timeout{std::chrono::seconds(5)};
    // Hold the input back until ffmpeg's first stderr line has been checked (its version banner),
    // at most this long. Zero: don't wait.
    std::chrono::milliseconds banner_timeout{0};
    // Returns an error message to refuse the child (e.g. ffmpeg too old), or nothing to go on.
    std::function<std::optional<std::string>(std::string_view first_line)> check_banner;
    std::size_t chunk_bytes = 1 << 20;
    // Set when the child reads the input itself: a regular file given to it as its stdin, the
    // same open file as input_fd. Nothing is relayed; framepipe follows the shared file offset,
    // and as there is no pipe to close, stopping early means one SIGINT, which makes ffmpeg stop
    // reading and finish the file.
    struct SharedInput {
        std::uint64_t start_offset = 0;
        std::uint64_t bytes = 0; // from start_offset to the end of the file
    };
    std::optional<SharedInput> shared_input;
    // When the input ends, or the first signal comes, having delivered fewer bytes than this
    // (less than one frame), there is no video to wait for: ffmpeg is killed at once instead of
    // being given finish_timeout (some encoders, libsvtav1 among them, never exit on an empty
    // stream).
    std::uint64_t minimum_useful_bytes = 0;
    // An encoder probe: its output is thrown away, so the first signal kills it at once.
    bool disposable = false;
    // What moves the input to ffmpeg (reading input_fd): when unset, a Relay of chunk_bytes.
    Feeder* feeder = nullptr;
};

// Callbacks for things the supervisor sees as they happen.
struct SupervisorEvents {
    std::function<void(std::string_view line)> on_progress_line;
    std::function<void(std::string_view line)> on_stderr_line;
    // Bytes delivered, or frames for a feeder that counts frames (Feeder::frames_counted).
    std::function<void(std::uint64_t delivered)> on_input;
    std::function<void()> on_tick; // at least every 100 ms while running
};

struct SupervisorResult {
    ExitStatus child;
    std::uint64_t bytes_delivered = 0;
    std::optional<std::uint64_t> frames_delivered; // from a feeder that counts frames
    bool input_ended = false;                      // the producer reached EOF
    int interrupted_by = 0;                        // the first SIGINT/SIGTERM/SIGHUP received, or 0
    int signals_received = 0;
    bool child_exited_early = false; // ffmpeg stopped taking input before the producer ended
    int escalation_signal = 0;       // SIGINT or SIGKILL framepipe had to send to ffmpeg, or 0
    // framepipe sent ffmpeg its one SIGINT (finish the file now), so exit status 255 is expected.
    bool asked_to_finish = false;
    std::string input_error;     // a read error on the input
    std::string refused;         // why the child was refused (check_banner's message, or ...)
    bool banner_missing = false; // ... no stderr line before banner_timeout or the child's exit
    double seconds_waiting_for_input = 0;
    double seconds_waiting_for_ffmpeg = 0;
    double seconds_total = 0;
};

class Supervisor {
  public:
    Supervisor(int input_fd, ChildProcess& child, int signal_fd,
               std::function<std::optional<int>()> take_signal, LogTail& stderr_tail,
               SupervisorConfig config = {}, SupervisorEvents events = {});

    SupervisorResult run();

  private:
    int input_fd_;
    ChildProcess& child_;
    int signal_fd_;
    std::function<std::optional<int>()> take_signal_;
    LogTail& tail_;
    SupervisorConfig config_;
    SupervisorEvents events_;
};

// Supervises a child that reads no input (the encoder probe, `ffmpeg -encoders`) until it
// exits: its stdin is closed at once, its pipes are drained, and a signal is caught and reported
// in the result instead of killing framepipe. finish_timeout bounds how long it may stay silent.
SupervisorResult run_without_input(ChildProcess& child, LogTail& stderr_tail,
                                   std::chrono::milliseconds finish_timeout,
                                   SupervisorEvents events = {});

} // namespace framepipe
