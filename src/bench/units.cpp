#include "bench/units.h"

#include "error.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

namespace framepipe::bench {

namespace {

// std::from_chars for double, which GCC 12 has; no locale is involved.
bool parse_number(std::string_view text, double& value, std::string_view& rest) {
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || !std::isfinite(value) || value < 0)
        return false;
    rest = std::string_view(stop, static_cast<std::size_t>(end - stop));
    return true;
}

constexpr std::array<std::pair<std::string_view, double>, 9> kUnits{{
    {"", 1},
    {"B", 1},
    {"kB", 1e3},
    {"KB", 1e3},
    {"MB", 1e6},
    {"GB", 1e9},
    {"KiB", 1024.0},
    {"MiB", 1024.0 * 1024},
    {"GiB", 1024.0 * 1024 * 1024},
}};

} // namespace

std::uint64_t parse_byte_size(std::string_view text) {
    double value = 0;
    std::string_view unit;
    if (parse_number(text, value, unit)) {
        for (const auto& [name, factor] : kUnits)
            if (unit == name && value * factor >= 1 && value * factor < 1e18)
                return static_cast<std::uint64_t>(std::llround(value * factor));
    }
    throw Error(ExitCode::usage, "invalid size '" + std::string(text) +
                                     "': write a positive number with a unit, e.g. 96MB, 1.5GB, "
                                     "800kB or 100MiB");
}

double parse_speed(std::string_view text) {
    double value = 0;
    std::string_view rest;
    if (parse_number(text, value, rest) && (rest.empty() || rest == "x") && value > 0)
        return value;
    throw Error(ExitCode::usage, "invalid speed '" + std::string(text) +
                                     "': write how many times real time, e.g. 1x or 0.5x");
}

double parse_min_ssim(std::string_view text) {
    double value = 0;
    auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || stop != text.data() + text.size() || !(value > 0 && value <= 1))
        throw Error(ExitCode::usage, "invalid --min-ssim '" + std::string(text) +
                                         "': give a number above 0 and at most 1, e.g. 0.98");
    return value;
}

} // namespace framepipe::bench
