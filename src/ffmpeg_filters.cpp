#include "ffmpeg_filters.h"

#include <vector>

namespace framepipe {

namespace {

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    while (!line.empty()) {
        auto start = line.find_first_not_of(" \t\r");
        if (start == std::string_view::npos)
            break;
        line.remove_prefix(start);
        auto end = line.find_first_of(" \t\r");
        out.push_back(line.substr(0, end));
        line.remove_prefix(end == std::string_view::npos ? line.size() : end);
    }
    return out;
}

// The capability letters before each name ("TS.", "..C": timeline, slice threads, commands): a
// short run of capitals and dots of any width, so a version that adds or drops a column still
// parses.
bool is_flags_word(std::string_view w) {
    if (w.empty() || w.size() > 6)
        return false;
    for (char c : w)
        if (c != '.' && (c < 'A' || c > 'Z'))
            return false;
    return true;
}

// "VV->V", "|->A", "N->V": inputs, an arrow, outputs. The legend's lines have "=" there instead.
bool is_io_word(std::string_view w) {
    auto arrow = w.find("->");
    return arrow != std::string_view::npos && arrow > 0 && arrow + 2 < w.size();
}

} // namespace

std::optional<FilterSet> parse_filter_list(std::string_view text) {
    FilterSet names;
    bool heading = false;
    while (!text.empty()) {
        auto eol = text.find('\n');
        auto line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        auto w = words(line);
        if (w.size() == 1 && w[0] == "Filters:")
            heading = true;
        if (w.size() >= 3 && is_flags_word(w[0]) && is_io_word(w[2]))
            names.emplace(w[1]);
    }
    if (!heading && names.empty())
        return std::nullopt;
    return names;
}

} // namespace framepipe
