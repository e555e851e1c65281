// Who converts the producer's RGB into the Y'CbCr the encoder takes: framepipe (on its worker
// threads) or ffmpeg (its scale filter, as the dry-run command shows), from --convert, the input
// format and the preset.
#pragma once

#include "convert/yuv_convert.h"
#include "options.h"
#include "preset.h"

#include <optional>
#include <string>

namespace framepipe::convert {

struct ConversionPlan {
    std::string by;                  // "framepipe", "ffmpeg", or "none" (the encoder takes RGB)
    std::optional<YuvFormat> format; // set when framepipe converts
};

// Throws Error(usage) when --convert framepipe asks for what framepipe cannot do.
ConversionPlan plan_conversion(ConvertChoice choice, const PixelFormat& input, FrameSize size,
                               const Preset& preset);

} // namespace framepipe::convert
