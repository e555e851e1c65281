#include "bench/crf_knob.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace framepipe::bench {

namespace {

// The -crf ranges of ffmpeg's wrappers: x264/x265 at 8 bits, libvpx's CQ levels (VP8 refuses
// below its default minimum quantizer, 4), SVT-AV1's (0 is not a CRF there).
std::optional<CrfRange> crf_range(const Preset& p) {
    static const std::map<std::string, CrfRange, std::less<>> ranges{
        {"libx264", {0, 51}},    {"libx265", {0, 51}},   {"libvpx", {4, 63}},
        {"libvpx-vp9", {0, 63}}, {"libsvtav1", {1, 63}}, {"libaom-av1", {0, 63}}};
    auto found = ranges.find(p.encoder);
    if (found == ranges.end())
        return std::nullopt;
    auto range = found->second;
    // x264 and x265 widen the scale by 6 per extra bit of depth.
    if ((p.encoder == "libx264" || p.encoder == "libx265") &&
        p.pix_fmt.find("10") != std::string::npos)
        range.max = 63;
    return range;
}

} // namespace

std::variant<CrfKnob, std::string> crf_knob(const Preset& p) {
    if (p.hardware != Hardware::none)
        return p.encoder + " is a hardware encoder: its quality scale is the driver's, so --tune "
                           "searches software encoders only";
    auto range = crf_range(p);
    if (!range)
        return p.encoder + " has no CRF to search (it is lossless, or of fixed quality)";
    auto it = std::find(p.args.begin(), p.args.end(), "-crf");
    if (it == p.args.end() || std::next(it) == p.args.end())
        return "preset " + p.name + " sets no -crf: add one to its args to tune it";
    const auto& text = *std::next(it);
    int value = 0;
    auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || stop != text.data() + text.size())
        return "preset " + p.name + " sets -crf " + text + ", and --tune searches whole CRFs";
    return CrfKnob{static_cast<std::size_t>(std::next(it) - p.args.begin()), value, *range};
}

Preset with_crf(const Preset& p, const CrfKnob& knob, int crf) {
    Preset q = p;
    q.args[knob.index] = std::to_string(crf);
    // Preset names are at most 64 characters.
    q.name = p.name.substr(0, 56) + "-crf" + std::to_string(crf);
    q.origin.clear();
    return q;
}

} // namespace framepipe::bench
