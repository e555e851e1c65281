#include "log_tail.h"

#include <algorithm>

namespace framepipe {

LogTail::LogTail(std::size_t max_lines, std::size_t max_line_length)
    : max_lines_(max_lines), max_line_length_(max_line_length) {}

void LogTail::feed(std::string_view bytes) {
    while (!bytes.empty()) {
        auto nl = bytes.find_first_of("\n\r");
        if (nl == std::string_view::npos) {
            if (partial_.size() < max_line_length_)
                partial_.append(bytes.substr(0, max_line_length_ - partial_.size()));
            return;
        }
        if (partial_.size() < max_line_length_)
            partial_.append(bytes.substr(0, std::min(nl, max_line_length_ - partial_.size())));
        push(std::move(partial_));
        partial_.clear();
        bytes.remove_prefix(nl + 1);
    }
}

void LogTail::finish() {
    if (!partial_.empty()) {
        push(std::move(partial_));
        partial_.clear();
    }
}

void LogTail::push(std::string line) {
    if (line.empty())
        return;
    ++total_;
    if (callback_)
        callback_(line);
    if (is_problem(line)) {
        problems_.push_back(line);
        if (problems_.size() > max_lines_)
            problems_.pop_front();
    }
    lines_.push_back(std::move(line));
    if (lines_.size() > max_lines_)
        lines_.pop_front();
}

namespace {
constexpr std::string_view kLevelTags[] = {"[info] ",  "[warning] ", "[error] ", "[fatal] ",
                                           "[panic] ", "[verbose] ", "[debug] ", "[trace] "};
}

namespace {
// ffmpeg 7's threaded core reports one failure once more from every thread and muxer it stops
// ("Task finished with error code: -22", "Terminating thread ..."): eight or more lines that say
// nothing new and would push the line naming the cause out of what the user is shown.
constexpr std::string_view kEchoes[] = {
    "Task finished with error code", "Terminating thread with return code",
    "Error sending frames to consumers", "Could not open encoder before EOF",
    "Nothing was written into output file"};

bool is_echo(std::string_view line) {
    return std::any_of(std::begin(kEchoes), std::end(kEchoes), [&](std::string_view echo) {
        return line.find(echo) != std::string_view::npos;
    });
}
} // namespace

bool LogTail::is_problem(std::string_view line) {
    if (is_echo(line))
        return false;
    // ffmpeg puts the tag first, or after a component's context ("[libx264 @ 0x..] [error] ...");
    // libx264 writes its own "x264 [error]: ..." lines.
    for (std::string_view tag : {"[warning] ", "[error] ", "[fatal] ", "[panic] "}) {
        auto at = line.find(tag);
        if (at == 0 || (at != std::string_view::npos && line.substr(0, at).ends_with("] ")))
            return true;
    }
    return line.starts_with("x264 [error]") || line.starts_with("x264 [warning]") ||
           line.starts_with("x265 [error]");
}

std::string LogTail::strip_level(std::string_view line) {
    for (std::string_view tag : kLevelTags) {
        auto at = line.find(tag);
        if (at == 0)
            return std::string(line.substr(tag.size()));
        if (at != std::string_view::npos && line.substr(0, at).ends_with("] "))
            return std::string(line.substr(0, at)) + std::string(line.substr(at + tag.size()));
    }
    return std::string(line);
}

std::vector<std::string> LogTail::last_meaningful(std::size_t n) const {
    std::vector<std::string> out;
    if (!problems_.empty()) {
        for (auto it = problems_.rbegin(); it != problems_.rend() && out.size() < n; ++it)
            out.emplace_back(strip_level(*it));
        std::reverse(out.begin(), out.end());
        return out;
    }
    for (auto it = lines_.rbegin(); it != lines_.rend() && out.size() < n; ++it) {
        std::string l = strip_level(*it);
        // ffmpeg's banner and its indented stream dumps describe the setup, not what went wrong.
        bool noise = l.starts_with("ffmpeg version ") || l.starts_with(" ") ||
                     l.starts_with("Input #") || l.starts_with("Output #") ||
                     l.starts_with("Stream mapping:") || l.starts_with("Press [q]") ||
                     l.starts_with("ffmpeg stats and -progress period");
        if (!noise)
            out.push_back(std::move(l));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

} // namespace framepipe
