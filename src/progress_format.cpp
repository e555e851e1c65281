#include "progress_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

namespace framepipe {

namespace {

// Narrower than this a bar says nothing the percentage doesn't; wider only spreads it out.
constexpr int kMinBar = 10;
constexpr int kMaxBar = 30;
constexpr const char* kSeparator = "  ";
// Before this, the average rate is mostly ffmpeg's start-up and encoder lookahead, and an ETA
// computed from it swings wildly.
constexpr double kEtaAfterSeconds = 1.0;

template <typename... Args>
std::string printf_string(const char* format, Args... args) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, args...);
    return buf;
}

std::string scaled(double value, const char* const units[4], double step) {
    int i = 0;
    while (i < 3 && std::fabs(value) >= step) {
        value /= step;
        ++i;
    }
    return i == 0 ? printf_string("%.0f %s", value, units[0])
                  : printf_string("%.1f %s", value, units[i]);
}

struct Field {
    std::string text;
    int priority; // lower survives longer on a narrow terminal
    bool bar = false;
};

template <typename T>
nlohmann::ordered_json or_null(const std::optional<T>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

} // namespace

void apply_block(ProgressSnapshot& s, const ProgressBlock& block) {
    if (block.frame)
        s.frames_encoded = block.frame;
    if (block.total_size)
        s.output_bytes = block.total_size;
    if (block.bitrate_bps)
        s.bitrate_bps = block.bitrate_bps;
    if (block.fps && *block.fps > 0)
        s.encode_fps = block.fps;
    if (block.speed && *block.speed > 0)
        s.speed = block.speed;
}

std::optional<double> fraction_done(const ProgressSnapshot& s) {
    if (!s.expected_frames || *s.expected_frames == 0)
        return std::nullopt;
    auto done = static_cast<double>(s.frames_encoded.value_or(s.frames_read));
    return std::clamp(done / static_cast<double>(*s.expected_frames), 0.0, 1.0);
}

std::optional<double> eta_seconds(const ProgressSnapshot& s) {
    if (!s.expected_frames || !s.frames_encoded || *s.frames_encoded == 0 ||
        s.elapsed_s < kEtaAfterSeconds)
        return std::nullopt;
    if (*s.frames_encoded >= *s.expected_frames)
        return 0.0;
    double rate = static_cast<double>(*s.frames_encoded) / s.elapsed_s;
    return static_cast<double>(*s.expected_frames - *s.frames_encoded) / rate;
}

std::string format_rate(double bytes_per_second) {
    static const char* const units[4] = {"B/s", "KB/s", "MB/s", "GB/s"};
    return scaled(std::max(bytes_per_second, 0.0), units, 1000);
}

std::string format_size(std::uint64_t bytes) {
    static const char* const units[4] = {"B", "KB", "MB", "GB"};
    return scaled(static_cast<double>(bytes), units, 1000);
}

std::string format_bitrate(double bits_per_second) {
    static const char* const units[4] = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
    return scaled(std::max(bits_per_second, 0.0), units, 1000);
}

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return "--:--";
    // Whole seconds, rounded down like a clock (an ETA is rounded up by its caller, so that it
    // never shows 0:00 while work remains); capped where the cast could overflow.
    auto total = static_cast<long long>(std::min(seconds, 9999.0 * 3600));
    long long h = total / 3600, m = total / 60 % 60, sec = total % 60;
    return h > 0 ? printf_string("%lld:%02lld:%02lld", h, m, sec)
                 : printf_string("%lld:%02lld", m, sec);
}

std::string format_speed(double speed) {
    if (!std::isfinite(speed) || speed < 0)
        speed = 0;
    if (speed < 1)
        return printf_string("%.2fx", speed);
    if (speed < 100)
        return printf_string("%.1fx", speed);
    return printf_string("%.0fx", speed);
}

std::string format_fps(double fps) {
    if (!std::isfinite(fps) || fps < 0)
        fps = 0;
    return fps < 10 && fps != 0 ? printf_string("%.1f fps", fps) : printf_string("%.0f fps", fps);
}

std::string render_bar(double fraction, int width) {
    if (width < 2)
        return std::string(static_cast<std::size_t>(std::max(width, 0)), '#');
    int inner = width - 2;
    fraction = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
    // Floor, so the bar is full only when the work is.
    int filled = static_cast<int>(std::floor(fraction * inner));
    return "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(inner - filled), '-') + "]";
}

std::string status_line(const ProgressSnapshot& s, int columns) {
    const int usable = columns - 1;
    if (usable <= 0)
        return {};
    const std::uint64_t frames = s.frames_encoded.value_or(0);
    const auto fraction = fraction_done(s);

    // Fixed-width numbers and a bar sized by the terminal alone, so the line does not jitter.
    std::vector<Field> fields;
    if (fraction) {
        const auto total = std::to_string(*s.expected_frames);
        fields.push_back({"", 3, true});
        fields.push_back({printf_string("%3.0f%%", std::floor(*fraction * 100)), 0});
        fields.push_back({printf_string("%*llu/%s", static_cast<int>(total.size()),
                                        static_cast<unsigned long long>(frames), total.c_str()),
                          1});
    } else {
        fields.push_back({(frames == 1 ? "1 frame" : std::to_string(frames) + " frames"), 1});
    }
    if (s.encode_fps)
        fields.push_back({format_fps(*s.encode_fps), 5});
    if (s.speed)
        fields.push_back({format_speed(*s.speed), 4});
    fields.push_back({"elapsed " + format_duration(s.elapsed_s), 7});
    if (fraction) {
        auto eta = eta_seconds(s);
        fields.push_back(
            {"ETA " + (eta ? format_duration(std::ceil(*eta)) : std::string("--:--")), 2});
    }
    if (s.input_bytes_per_s)
        fields.push_back({"in " + format_rate(*s.input_bytes_per_s), 8});
    if (s.output_bytes)
        fields.push_back({"out " + format_size(*s.output_bytes), 6});

    const int bar_width = std::clamp(usable / 5, kMinBar, kMaxBar);
    auto width = [&] {
        int w = 0;
        for (const auto& f : fields)
            w += (w == 0 ? 0 : 2) + (f.bar ? bar_width : static_cast<int>(f.text.size()));
        return w;
    };
    while (width() > usable && fields.size() > 1) {
        // Drop the least useful field; among equals, the rightmost.
        auto worst = fields.begin();
        for (auto it = fields.begin(); it != fields.end(); ++it)
            if (it->priority >= worst->priority)
                worst = it;
        fields.erase(worst);
    }

    std::string line;
    for (const auto& f : fields) {
        if (!line.empty())
            line += kSeparator;
        line += f.bar ? render_bar(*fraction, bar_width) : f.text;
    }
    if (static_cast<int>(line.size()) > usable)
        line.resize(static_cast<std::size_t>(usable));
    return line;
}

nlohmann::ordered_json progress_json(const ProgressSnapshot& s) {
    nlohmann::ordered_json j;
    j["event"] = "progress";
    j["elapsed_s"] = s.elapsed_s;
    j["frames_read"] = s.frames_read;
    j["bytes_read"] = s.bytes_read;
    j["input_bytes_per_s"] = or_null(s.input_bytes_per_s);
    j["frames_encoded"] = or_null(s.frames_encoded);
    j["encode_fps"] = or_null(s.encode_fps);
    j["speed"] = or_null(s.speed);
    j["output_bytes"] = or_null(s.output_bytes);
    j["bitrate_bps"] = or_null(s.bitrate_bps);
    j["expected_frames"] = or_null(s.expected_frames);
    auto fraction = fraction_done(s);
    j["percent"] = fraction ? nlohmann::ordered_json(std::floor(*fraction * 1000) / 10)
                            : nlohmann::ordered_json(nullptr);
    j["eta_s"] = or_null(eta_seconds(s));
    return j;
}

} // namespace framepipe
