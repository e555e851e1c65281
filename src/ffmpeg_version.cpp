#include "ffmpeg_version.h"

#include <charconv>

namespace framepipe {

namespace {
constexpr std::string_view kPrefix = "ffmpeg version ";
}

namespace {
// With `-loglevel level+info` the banner reads "[info] ffmpeg version ...".
std::string_view without_level(std::string_view line) {
    constexpr std::string_view kInfo = "[info] ";
    return line.starts_with(kInfo) ? line.substr(kInfo.size()) : line;
}
} // namespace

bool is_ffmpeg_banner(std::string_view line) {
    return without_level(line).starts_with(kPrefix);
}

std::optional<Version> parse_ffmpeg_banner(std::string_view line) {
    line = without_level(line);
    if (!is_ffmpeg_banner(line))
        return std::nullopt;
    auto v = line.substr(kPrefix.size());
    if (v.starts_with('n'))
        v.remove_prefix(1);
    Version out;
    auto end = v.data() + v.size();
    auto [p1, e1] = std::from_chars(v.data(), end, out.major);
    if (e1 != std::errc() || p1 == end || *p1 != '.')
        return std::nullopt;
    auto [p2, e2] = std::from_chars(p1 + 1, end, out.minor);
    if (e2 != std::errc())
        return std::nullopt;
    return out;
}

std::optional<std::string> check_ffmpeg_banner(std::string_view first_line,
                                               const std::string& program) {
    if (!is_ffmpeg_banner(first_line))
        return "'" + program + "' does not look like ffmpeg (its first line was '" +
               std::string(first_line.substr(0, 120)) +
               "'); point --ffmpeg or FRAMEPIPE_FFMPEG at a real ffmpeg";
    auto v = parse_ffmpeg_banner(first_line);
    if (v && *v < kMinimumFfmpeg)
        return "'" + program + "' is ffmpeg " + std::to_string(v->major) + "." +
               std::to_string(v->minor) + ", but framepipe needs " +
               std::to_string(kMinimumFfmpeg.major) + "." + std::to_string(kMinimumFfmpeg.minor) +
               " or newer: install a newer ffmpeg (apt-get install ffmpeg)";
    return std::nullopt;
}

} // namespace framepipe
