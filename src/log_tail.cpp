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
    lines_.push_back(std::move(line));
    if (lines_.size() > max_lines_)
        lines_.pop_front();
}

std::vector<std::string> LogTail::last_meaningful(std::size_t n) const {
    std::vector<std::string> out;
    for (auto it = lines_.rbegin(); it != lines_.rend() && out.size() < n; ++it) {
        const std::string& l = *it;
        bool banner = l.starts_with("ffmpeg version ") || l.starts_with("  built with ") ||
                      l.starts_with("  configuration: ") || l.starts_with("  lib");
        if (!banner)
            out.push_back(l);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

} // namespace framepipe
