#include "convert/conversion_plan.h"

#include "error.h"

namespace framepipe::convert {

namespace {

// 8-bit RGB or gray into yuv420p/yuv444p for a software encoder; 16-bit and float input, other
// outputs and hardware presets (whose filters upload frames) stay with ffmpeg.
std::optional<YuvFormat> convertible(const PixelFormat& input, FrameSize size,
                                     const Preset& preset) {
    const auto layout = packed_layout(input.name);
    const auto chroma = chroma_for(preset.pix_fmt);
    const auto range = range_for(preset.color_range);
    if (!layout || !chroma || !range || preset.hardware != Hardware::none)
        return std::nullopt;
    return make_yuv_format(*layout, size, *chroma, *range);
}

} // namespace

ConversionPlan plan_conversion(ConvertChoice choice, const PixelFormat& input, FrameSize size,
                               const Preset& preset) {
    if (!is_yuv_format(preset.pix_fmt)) {
        if (choice == ConvertChoice::framepipe)
            throw Error(ExitCode::usage, "--convert framepipe: preset '" + preset.name +
                                             "' feeds its encoder " + preset.pix_fmt +
                                             ", not YUV, so there is nothing to convert; use "
                                             "--convert auto");
        return {"none", std::nullopt};
    }
    if (choice == ConvertChoice::ffmpeg)
        return {"ffmpeg", std::nullopt};
    auto format = convertible(input, size, preset);
    if (!format && choice == ConvertChoice::framepipe)
        throw Error(ExitCode::usage,
                    "--convert framepipe cannot convert " + std::string(input.name) +
                        " input for preset '" + preset.name + "' (" + preset.pix_fmt +
                        "): framepipe converts 8-bit RGB and gray into yuv420p or yuv444p for "
                        "software encoders; use --convert auto to let ffmpeg do it");
    if (!format)
        return {"ffmpeg", std::nullopt};
    return {"framepipe", format};
}

} // namespace framepipe::convert
