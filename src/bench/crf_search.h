// The CRF search of `framepipe bench --tune`, as a pure function: given the probes so far, which
// CRF to encode next, or the answer. Like ab-av1's crf-search: SSIM falls as the CRF rises, so the
// answer (the largest CRF whose SSIM still meets the target: the smallest file) is bracketed by
// the probes, and the next probe is interpolated on the SSIM between the bracketing CRFs rather
// than halved, which lands within a CRF or two of the answer in two or three probes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace framepipe::bench {

struct CrfProbe {
    int crf = 0;
    double ssim = 0; // mean SSIM of the encode at this CRF
};

struct CrfRange {
    int min = 0, max = 51; // the encoder's valid values; lower is better quality
};

struct CrfSearchLimits {
    // Probes in all, the first (the preset's own CRF, already measured by the bake-off) included.
    std::size_t max_probes = 7;
    // A probe meeting the target by at most this much is close enough: the next CRF up would
    // save a few per cent of the size for a probe's cost.
    double tolerance = 0.0005;
    // How far one probe may move from the nearest probe when the answer is not yet bracketed.
    int first_step = 6; // x264/x265: 6 CRF is about half or double the bitrate
    int max_step = 12;
};

enum class CrfVerdict {
    probe,       // encode `crf` next
    found,       // `crf` is the answer
    unreachable, // even the lowest CRF misses the target
    gave_up,     // out of probes with no CRF meeting the target; `crf` is the best tried
};

struct CrfStep {
    CrfVerdict verdict = CrfVerdict::probe;
    int crf = 0;
};

// `probes` must not be empty. A CRF already probed is never asked for again. A probe whose SSIM is
// NaN (nothing measured) ends the search: gave_up, with the best measured probe.
CrfStep next_crf(const std::vector<CrfProbe>& probes, double target, CrfRange range,
                 const CrfSearchLimits& limits = {});

} // namespace framepipe::bench
