#include "progress.h"

#include <charconv>
#include <cmath>
#include <string>

namespace framepipe {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

template <typename T>
std::optional<T> parse_integer(std::string_view s) {
    T value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

// Parses the leading number of "55.5kbits/s" or "1.4x"; `rest` receives the unit after it.
std::optional<double> parse_leading_double(std::string_view s, std::string_view& rest) {
    // std::from_chars for double is not in every libstdc++ this builds with; strtod needs a
    // terminated string, and these values are short.
    std::string text(s);
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !std::isfinite(value))
        return std::nullopt;
    rest = s.substr(static_cast<std::size_t>(end - text.c_str()));
    return value;
}

std::optional<double> parse_double(std::string_view s) {
    std::string_view rest;
    auto v = parse_leading_double(s, rest);
    if (!v || !rest.empty())
        return std::nullopt;
    return v;
}

std::optional<double> parse_bitrate(std::string_view s) {
    std::string_view unit;
    auto v = parse_leading_double(s, unit);
    if (!v)
        return std::nullopt;
    if (unit == "kbits/s")
        return *v * 1e3;
    if (unit == "Mbits/s")
        return *v * 1e6;
    if (unit == "bits/s")
        return *v;
    return std::nullopt;
}

std::optional<double> parse_speed(std::string_view s) {
    std::string_view unit;
    auto v = parse_leading_double(s, unit);
    if (!v || unit != "x")
        return std::nullopt;
    return v;
}

} // namespace

std::optional<ProgressBlock> ProgressParser::feed(std::string_view line) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
        return std::nullopt;
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));

    if (key == "progress") {
        ProgressBlock done = current_;
        done.end = value == "end";
        current_ = {};
        return done;
    }
    if (key == "frame")
        current_.frame = parse_integer<std::uint64_t>(value);
    else if (key == "fps")
        current_.fps = parse_double(value);
    else if (key == "bitrate")
        current_.bitrate_bps = parse_bitrate(value);
    else if (key == "total_size")
        current_.total_size = parse_integer<std::uint64_t>(value);
    else if (key == "out_time_us")
        current_.out_time_us = parse_integer<std::int64_t>(value);
    else if (key == "speed")
        current_.speed = parse_speed(value);
    return std::nullopt;
}

void RateMeter::add(Clock::time_point now, std::uint64_t total) {
    samples_.emplace_back(now, total);
    // Keep one sample older than the window so the rate always spans the whole window.
    while (samples_.size() > 2 && now - samples_[1].first >= window_)
        samples_.pop_front();
}

std::optional<double> RateMeter::rate() const {
    if (samples_.size() < 2)
        return std::nullopt;
    const auto& [t0, n0] = samples_.front();
    const auto& [t1, n1] = samples_.back();
    double seconds = std::chrono::duration<double>(t1 - t0).count();
    if (seconds < 0.2 || n1 < n0)
        return std::nullopt;
    return static_cast<double>(n1 - n0) / seconds;
}

} // namespace framepipe
