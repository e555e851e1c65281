// Reading ffmpeg's version from its banner, and the oldest version framepipe supports.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace framepipe {

struct Version {
    int major = 0;
    int minor = 0;
    auto operator<=>(const Version&) const = default;
};

// The oldest ffmpeg framepipe is tested with: 5.1, Debian 12's (7.1 is Debian 13's). Older ones
// differ in options and messages framepipe relies on (4.4 added -stats_period; 5.0 dropped the
// old channel-layout and -vsync behaviours), and an untested one would fail in ways the user
// cannot act on, after frames were sent.
inline constexpr Version kMinimumFfmpeg{5, 1};

// "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." -> 5.1. Development builds ("N-109-gabc") and
// unparsable banners give nothing: they are let through rather than refused on a guess.
std::optional<Version> parse_ffmpeg_banner(std::string_view first_line);

// True when the line is ffmpeg's banner at all.
bool is_ffmpeg_banner(std::string_view line);

// The message to refuse this banner with, or nothing when it is acceptable.
std::optional<std::string> check_ffmpeg_banner(std::string_view first_line,
                                               const std::string& program);

} // namespace framepipe
