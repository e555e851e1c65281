#include "ffmpeg_encoders.h"

#include "child_process.h"
#include "error.h"
#include "log_tail.h"
#include "supervisor.h"

#include <unistd.h>

namespace framepipe {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The six capability letters before each name, e.g. "V....D" or "VFS...".
bool is_flags_word(std::string_view w) {
    if (w.size() != 6)
        return false;
    for (char c : w)
        if (c != '.' && (c < 'A' || c > 'Z'))
            return false;
    return true;
}

} // namespace

std::optional<EncoderSet> parse_encoder_list(std::string_view text) {
    EncoderSet names;
    bool in_list = false;
    while (!text.empty()) {
        auto eol = text.find('\n');
        auto line = trim(text.substr(0, eol));
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        if (!in_list) {
            // The legend above the list describes the flags with lines of the same shape as the
            // entries (" V..... = Video"); only what follows its dashed line is encoders.
            in_list = line.starts_with("------");
            continue;
        }
        auto space = line.find_first_of(" \t");
        if (space == std::string_view::npos || !is_flags_word(line.substr(0, space)))
            continue;
        auto rest = trim(line.substr(space));
        auto name = rest.substr(0, rest.find_first_of(" \t"));
        if (!name.empty())
            names.emplace(name);
    }
    if (!in_list)
        return std::nullopt;
    return names;
}

EncoderListing list_ffmpeg_encoders(const std::filesystem::path& ffmpeg) {
    // ffmpeg prints the list on stdout. spawn_child gives the child one extra pipe at a chosen
    // descriptor (meant for -progress); placing it at 1 captures stdout while keeping everything
    // else spawn_child guarantees (own process group, clean signal mask, no leaked descriptors).
    std::unique_ptr<ChildProcess> child;
    try {
        child =
            spawn_child({ffmpeg, {"-hide_banner", "-nostdin", "-encoders"}, STDOUT_FILENO, true});
    } catch (const Error&) {
        return {};
    }
    LogTail tail;
    SupervisorEvents events;
    std::string listing;
    events.on_progress_line = [&](std::string_view line) {
        listing.append(line);
        listing.push_back('\n');
    };
    auto result = run_without_input(*child, tail, std::chrono::seconds(10), std::move(events));
    if (result.interrupted_by != 0)
        return {std::nullopt, result.interrupted_by};
    if (!result.child.success())
        return {};
    return {parse_encoder_list(listing), 0};
}

} // namespace framepipe
