#include "concat/segment_setup.h"

#include "error.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace framepipe {

namespace {

constexpr std::string_view kTagPrefix = "framepipe-segment ";

// Encoders whose segments have been joined frame-exactly (background: framemd5-verified), and what
// each needs. Intra-only ones (ffv1, prores_ks) need nothing: every frame stands alone.
constexpr std::array kJoinableEncoders{"libx264", "libvpx-vp9", "libsvtav1", "ffv1", "prores_ks"};
constexpr std::array kJoinableMuxers{"mp4", "mov", "matroska", "webm"};

bool contains(const auto& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// `key=value` from the tag's words, or nothing.
std::optional<std::string_view> field(std::string_view text, std::string_view key) {
    while (!text.empty()) {
        auto space = text.find(' ');
        auto word = text.substr(0, space);
        text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
        if (word.size() > key.size() && word.starts_with(key) && word[key.size()] == '=')
            return word.substr(key.size() + 1);
    }
    return std::nullopt;
}

std::optional<std::int64_t> whole(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0)
        return std::nullopt;
    return v;
}

// Adds `option` to the value of `flag` after `separator`, or appends `flag option`.
void add_to_list_option(std::vector<std::string>& args, std::string_view flag,
                        const std::string& option, std::string_view separator) {
    auto it = std::find(args.begin(), args.end(), flag);
    if (it != args.end() && it + 1 != args.end())
        *(it + 1) += std::string(separator) + option;
    else
        args.insert(args.end(), {std::string(flag), option});
}

} // namespace

std::string format_segment_tag(const SegmentTag& tag) {
    return std::string(kTagPrefix) + "start=" + std::to_string(tag.start) +
           " rate=" + std::to_string(tag.rate.num) + "/" + std::to_string(tag.rate.den) +
           " preset=" + tag.preset;
}

std::optional<SegmentTag> parse_segment_tag(std::string_view text) {
    if (!text.starts_with(kTagPrefix))
        return std::nullopt;
    text.remove_prefix(kTagPrefix.size());
    auto start = field(text, "start");
    auto rate = field(text, "rate");
    auto preset = field(text, "preset");
    if (!start || !rate || !preset || preset->empty())
        return std::nullopt;
    auto slash = rate->find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    auto n = whole(*start), num = whole(rate->substr(0, slash)),
         den = whole(rate->substr(slash + 1));
    if (!n || !num || !den || *num == 0 || *den == 0)
        return std::nullopt;
    return SegmentTag{static_cast<std::uint64_t>(*n), Rational{*num, *den}, std::string(*preset)};
}

void check_segment_support(const Preset& preset, const Container& container) {
    if (!contains(kJoinableEncoders, preset.encoder))
        throw Error(ExitCode::usage,
                    "--segment-start: preset '" + preset.name + "' (" + preset.encoder +
                        ") cannot make segments that join without re-encoding; use an x264, vp9, "
                        "av1, ffv1 or prores preset (e.g. -p x264-crf17)");
    if (!is_joinable_container(container))
        throw Error(ExitCode::usage, "--segment-start: ." + std::string(container.extension) +
                                         " segments cannot be joined without re-encoding; write "
                                         ".mp4, .mov, .mkv or .webm segments");
}

bool is_joinable_container(const Container& container) {
    return contains(kJoinableMuxers, container.muxer);
}

Preset segment_preset(Preset preset) {
    // stitchable=1 keeps x264's SPS/PPS identical across encodes of the same settings, so one
    // set of headers serves the whole joined stream.
    if (preset.encoder == "libx264")
        add_to_list_option(preset.args, "-x264-params", "stitchable=1", ":");
    // An open GOP's leading frames refer to the previous segment, which the join does not have.
    if (preset.encoder == "libsvtav1")
        add_to_list_option(preset.args, "-flags", "+cgop", "");
    return preset;
}

std::int64_t segment_timescale(Rational rate) {
    std::int64_t scale = rate.num;
    while (scale < 10000)
        scale *= 2;
    return scale;
}

bool is_mov_family(const Container& container) {
    return container.muxer == std::string_view("mp4") || container.muxer == std::string_view("mov");
}

std::vector<std::string> segment_muxer_args(const Container& container, const SegmentTag& tag) {
    std::vector<std::string> a;
    // Segments with different time bases decode wrongly once joined (measured: 25 of 100
    // frames), so the time base is stated rather than left to ffmpeg.
    if (is_mov_family(container))
        a = {"-video_track_timescale", std::to_string(segment_timescale(tag.rate))};
    a.insert(a.end(), {"-metadata", std::string(kSegmentTagKey) + "=" + format_segment_tag(tag)});
    return a;
}

} // namespace framepipe
