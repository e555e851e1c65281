// Live progress while ffmpeg runs: a self-updating status line on a terminal, or one JSON record
// a line for CI logs and driving programs. It listens to the supervisor's events and decides only
// when and where to write; what is written comes from progress_format.h.
#pragma once

#include "options.h"
#include "progress.h"
#include "progress_format.h"
#include "supervisor.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace framepipe {

enum class ProgressMode { none, bar, json };

struct ProgressSettings {
    ProgressMode mode = ProgressMode::none;
    int fd = 2;
    std::optional<std::uint64_t> expected_frames;
    std::uint64_t frame_bytes = 1;
    bool echo_ffmpeg_log = false; // --verbose: ffmpeg's lines are printed as they come
};

// The mode --progress, --progress-fd and --quiet ask for, given whether stderr is a terminal.
// --quiet silences the bar but not json records asked for by name: those are data, not chatter.
ProgressMode resolve_progress_mode(ProgressChoice choice, bool has_fd, bool quiet,
                                   bool stderr_is_tty);

// $COLUMNS as the terminal's width when stderr cannot say: a positive whole number, else 0.
int parse_columns(const char* value);

// Settings for this process. Throws Error(usage) for a --progress-fd that is not open for
// writing, or one combined with --progress bar or none.
ProgressSettings progress_settings(const Options& o, std::uint64_t frame_bytes);

class ProgressReporter {
  public:
    explicit ProgressReporter(ProgressSettings settings);
    ~ProgressReporter(); // finish()
    ProgressReporter(const ProgressReporter&) = delete;
    ProgressReporter& operator=(const ProgressReporter&) = delete;

    // Subscribes to the supervisor's events, keeping callbacks already set. With echo_ffmpeg_log,
    // each ffmpeg line first erases the status line so the two never share a line.
    void attach(SupervisorEvents& events);

    // Erases the status line for good, or writes the closing json record. Idempotent.
    void finish();

    // ffmpeg's last complete -progress block, if it wrote one.
    const std::optional<ProgressBlock>& last_block() const { return last_block_; }

  private:
    using Clock = std::chrono::steady_clock;

    void on_progress_line(std::string_view line);
    void on_input(std::uint64_t bytes);
    void on_tick();
    void update_snapshot(Clock::time_point now);
    void draw();
    void erase();
    // The end record waits up to a second for a slow reader; progress records do not wait.
    void write_json(const std::string& event,
                    std::chrono::milliseconds wait = std::chrono::milliseconds(0));
    void write_out(const std::string& text,
                   std::chrono::milliseconds wait = std::chrono::milliseconds(0));

    ProgressSettings settings_;
    Clock::time_point start_;
    Clock::time_point last_output_;
    bool written_once_ = false;
    bool finished_ = false;
    bool broken_ = false; // the progress fd stopped taking writes
    std::size_t drawn_width_ = 0;
    std::uint64_t bytes_ = 0;
    ProgressParser parser_;
    RateMeter input_rate_;
    ProgressSnapshot snapshot_;
    std::optional<ProgressBlock> last_block_;
};

} // namespace framepipe
