// Which value of a preset `framepipe bench --tune` searches: the software encoders' -crf, within
// the range each encoder accepts. Hardware presets are not tuned: their quality scales (-cq,
// -global_quality) differ per vendor and driver, and the catalogue's are bitrate-driven anyway.
#pragma once

#include "bench/crf_search.h"
#include "preset.h"

#include <string>
#include <variant>

namespace framepipe::bench {

struct CrfKnob {
    std::size_t index = 0; // of the value in Preset::args, after "-crf"
    int value = 0;         // the preset's own CRF
    CrfRange range;
};

// The preset's CRF and its encoder's range, or why it cannot be tuned (a sentence fragment:
// "ffv1 has no CRF: it is lossless or of fixed quality").
std::variant<CrfKnob, std::string> crf_knob(const Preset& preset);

// The preset at another CRF, named `base-crfN` (a valid preset name whatever the base's length).
Preset with_crf(const Preset& preset, const CrfKnob& knob, int crf);

} // namespace framepipe::bench
