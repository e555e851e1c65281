// Fuzz target: ffprobe's compact report on a joined video (framepipe concat's verification).
// The first line sets what the segments promised, "FRAMES SEGMENTS NUM/DEN CONTAINER" (e.g.
// "300 3 30/1 mp4"), the rest is ffprobe's output; the rate is a segment tag's, outside input too.
#include "concat/join_check.h"
#include "container.h"
#include "fuzz_support.h"

#include <charconv>
#include <string>

namespace {

std::string_view next_token(std::string_view& text) {
    while (text.starts_with(' '))
        text.remove_prefix(1);
    auto end = text.find(' ');
    auto token = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end);
    return token;
}

std::uint64_t number_or(std::string_view text, std::uint64_t fallback, std::uint64_t max) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && end == text.data() + text.size() && v <= max ? v : fallback;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    std::string_view text = fuzz::as_text(data, size);
    auto eol = text.find('\n');
    std::string_view setup = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    // Frames bounded: the check keeps one bit a frame.
    const auto frames = number_or(next_token(setup), 30, 1 << 16);
    const auto segments = number_or(next_token(setup), 2, 1 << 16);
    const auto rate = parse_time_base(next_token(setup)).value_or(Rational{30, 1});
    const auto container = next_token(setup) == "mkv" ? "joined.mkv" : "joined.mp4";
    const auto time_base = joined_time_base(container_for(container), rate);
    JoinReport report(frames, segments, rate, time_base);
    while (!text.empty()) {
        eol = text.find('\n');
        const auto line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        report.add_line(line);
        if (auto tb = parse_time_base(line))
            fuzz::require(tb->num > 0 && tb->den > 0);
    }
    auto problem = report.result(false);
    fuzz::require(!problem || !problem->empty());
    fuzz::require(report.result(true).has_value());
    return 0;
}
