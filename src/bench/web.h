// Whether a preset's output plays in today's browsers, judged from the preset's own data
// (encoder, pixel format, options), as the published comparison learnt the hard way: CRF 0 and
// 4:4:4 H.264 do not play, GIF, VP8, VP9, AV1 and 4:2:0 H.264 do.
#pragma once

#include "preset.h"

namespace framepipe::bench {

bool plays_in_browsers(const Preset& preset);

} // namespace framepipe::bench
