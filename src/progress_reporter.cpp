#include "progress_reporter.h"

#include "error.h"
#include "messages.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <string_view>
#include <sys/ioctl.h>
#include <unistd.h>

namespace framepipe {

namespace {

// A terminal redrawn more often than this flickers and costs more than it tells; json records
// go to logs, where one a second is plenty.
constexpr auto kBarInterval = std::chrono::milliseconds(100);
constexpr auto kJsonInterval = std::chrono::milliseconds(1000);

int terminal_columns(int fd) {
    winsize ws{};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (int columns = parse_columns(std::getenv("COLUMNS")); columns > 0)
        return columns;
    return 80;
}

} // namespace

int parse_columns(const char* value) {
    if (value == nullptr)
        return 0;
    // Not atoi, whose result is undefined beyond int's range.
    const std::string_view text = value;
    int columns = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), columns);
    if (ec != std::errc() || end != text.data() + text.size() || columns <= 0)
        return 0;
    return columns;
}

ProgressMode resolve_progress_mode(ProgressChoice choice, bool has_fd, bool quiet,
                                   bool stderr_is_tty) {
    switch (choice) {
    case ProgressChoice::json:
        return ProgressMode::json;
    case ProgressChoice::none:
        return ProgressMode::none;
    case ProgressChoice::bar:
        return quiet ? ProgressMode::none : ProgressMode::bar;
    case ProgressChoice::automatic:
        break;
    }
    if (has_fd)
        return ProgressMode::json;
    return !quiet && stderr_is_tty ? ProgressMode::bar : ProgressMode::none;
}

ProgressSettings progress_settings(const Options& o, std::uint64_t frame_bytes) {
    ProgressSettings s;
    s.expected_frames = o.expected_frames;
    s.frame_bytes = frame_bytes == 0 ? 1 : frame_bytes;
    s.echo_ffmpeg_log = o.verbose;
    if (o.progress_fd) {
        const int fd = *o.progress_fd;
        const std::string name = "--progress-fd " + std::to_string(fd);
        if (o.progress == ProgressChoice::bar || o.progress == ProgressChoice::none)
            throw Error(ExitCode::usage,
                        name + " carries json records: use it with --progress json, or alone");
        if (fd == 0)
            throw Error(ExitCode::usage,
                        name + " is framepipe's stdin: give a descriptor opened for writing, e.g. "
                               "'--progress-fd 3 3>progress.jsonl'");
        int flags = ::fcntl(fd, F_GETFL);
        if (flags == -1 || (flags & O_ACCMODE) == O_RDONLY)
            throw Error(ExitCode::usage,
                        name + " is not open for writing: open it where framepipe is started, e.g. "
                               "'--progress-fd 3 3>progress.jsonl'");
        s.fd = fd;
    }
    s.mode =
        resolve_progress_mode(o.progress, o.progress_fd.has_value(), o.quiet, ::isatty(2) == 1);
    return s;
}

ProgressReporter::ProgressReporter(ProgressSettings settings)
    : settings_(settings), start_(Clock::now()), last_output_(start_) {
    snapshot_.expected_frames = settings_.expected_frames;
    if (settings_.mode == ProgressMode::bar)
        set_status_line_eraser([this] { erase(); });
}

ProgressReporter::~ProgressReporter() {
    try {
        finish();
    } catch (...) {
        // A destructor may run while an exception unwinds; losing the last record is the lesser
        // harm.
    }
}

void ProgressReporter::attach(SupervisorEvents& events) {
    auto chain = [](auto previous, auto ours) {
        return [previous, ours](auto... args) {
            ours(args...);
            if (previous)
                previous(args...);
        };
    };
    events.on_progress_line =
        chain(events.on_progress_line, [this](std::string_view line) { on_progress_line(line); });
    events.on_input = chain(events.on_input, [this](std::uint64_t bytes) { on_input(bytes); });
    events.on_tick = chain(events.on_tick, [this] { on_tick(); });
    if (events.on_stderr_line && settings_.echo_ffmpeg_log && settings_.mode == ProgressMode::bar)
        events.on_stderr_line = chain(events.on_stderr_line, [this](std::string_view) { erase(); });
}

void ProgressReporter::finish() {
    if (finished_)
        return;
    finished_ = true;
    if (settings_.mode == ProgressMode::bar) {
        erase();
        set_status_line_eraser({});
    } else if (settings_.mode == ProgressMode::json) {
        update_snapshot(Clock::now());
        write_json("end", std::chrono::milliseconds(1000));
    }
}

void ProgressReporter::on_progress_line(std::string_view line) {
    if (auto block = parser_.feed(line)) {
        last_block_ = block;
        update_snapshot(Clock::now());
        apply_block(snapshot_, *block);
    }
}

void ProgressReporter::on_input(std::uint64_t bytes) {
    bytes_ = bytes;
}

void ProgressReporter::on_tick() {
    if (finished_ || broken_ || settings_.mode == ProgressMode::none)
        return;
    const auto now = Clock::now();
    const auto interval = settings_.mode == ProgressMode::bar ? kBarInterval : kJsonInterval;
    if (now - last_output_ < interval)
        return;
    last_output_ = now;
    update_snapshot(now);
    if (settings_.mode == ProgressMode::bar)
        draw();
    else
        write_json("progress");
}

void ProgressReporter::update_snapshot(Clock::time_point now) {
    snapshot_.elapsed_s = std::chrono::duration<double>(now - start_).count();
    snapshot_.bytes_read = bytes_;
    snapshot_.frames_read = bytes_ / settings_.frame_bytes;
    input_rate_.add(now, bytes_);
    snapshot_.input_bytes_per_s = input_rate_.rate();
}

void ProgressReporter::draw() {
    std::string line = status_line(snapshot_, terminal_columns(settings_.fd));
    // Padding with spaces rather than an erase-line escape works on any terminal and in logs;
    // the cursor is left at the margin so that anything else written to the terminal (the
    // producer's messages) starts at the margin too.
    std::string text = "\r" + line;
    if (line.size() < drawn_width_)
        text.append(drawn_width_ - line.size(), ' ');
    text += "\r";
    write_out(text);
    drawn_width_ = std::max(drawn_width_, line.size());
}

void ProgressReporter::erase() {
    if (drawn_width_ == 0 || broken_)
        return;
    write_out("\r" + std::string(drawn_width_, ' ') + "\r");
    drawn_width_ = 0;
}

void ProgressReporter::write_json(const std::string& event, std::chrono::milliseconds wait) {
    if (broken_)
        return;
    nlohmann::ordered_json j = progress_json(snapshot_);
    j["event"] = event;
    write_out(j.dump() + "\n", wait);
}

void ProgressReporter::write_out(const std::string& text, std::chrono::milliseconds wait) {
    // The supervisor calls this between relaying frames and draining ffmpeg's stderr, so a reader
    // that stops reading (a paused terminal, a script busy elsewhere) must not stop the video: a
    // record that cannot be written within `wait` is dropped, and the next one tried afresh. Once
    // a record is started it is finished, with a bounded wait, or progress stops for good: half a
    // record would corrupt the stream.
    std::size_t done = 0;
    while (done < text.size()) {
        pollfd p{settings_.fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(done == 0 ? wait.count() : 1000));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0 && done == 0)
            return;
        if (ready <= 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
            broken_ = true;
            return;
        }
        ssize_t n = ::write(settings_.fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // A reader that went away must not stop the video; progress just stops.
            broken_ = true;
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

} // namespace framepipe
