#include "bench/web.h"

#include <algorithm>
#include <string_view>

namespace framepipe::bench {

namespace {

bool has_option(const Preset& p, std::string_view name, std::string_view value) {
    auto it = std::find(p.args.begin(), p.args.end(), name);
    return it != p.args.end() && std::next(it) != p.args.end() && *std::next(it) == value;
}

bool is_420(const Preset& p) {
    return p.pix_fmt == "yuv420p" || p.pix_fmt == "nv12";
}

} // namespace

bool plays_in_browsers(const Preset& p) {
    const std::string_view enc = p.encoder;
    if (enc == "gif")
        return true;
    if (enc == "libx264" || enc.starts_with("h264_"))
        // Lossless x264 switches to the High 4:4:4 Predictive profile, which browsers refuse.
        return is_420(p) && !has_option(p, "-crf", "0") && !has_option(p, "-qp", "0");
    if (enc == "libvpx" || enc == "libvpx-vp9" || enc == "libsvtav1" || enc == "libaom-av1" ||
        enc.starts_with("av1_") || enc.starts_with("vp9_"))
        return is_420(p);
    // HEVC plays only where the platform decodes it; ProRes, FFV1 and the rest not at all.
    return false;
}

} // namespace framepipe::bench
