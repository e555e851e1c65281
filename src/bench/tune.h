// `framepipe bench --tune`: for one preset, the CRF that just meets --min-ssim with the smallest
// file, by the interpolated search of crf_search.h, each probe an encode of the captured frames
// measured (and cached) like any preset of the bake-off.
#pragma once

#include "bench/bench_options.h"
#include "bench/capture.h"
#include "bench/measure.h"
#include "bench/result.h"
#include "preset.h"

#include <optional>
#include <string>
#include <vector>

namespace framepipe::bench {

// Which result --tune starts from: the recommendation when its CRF can be searched; else (no
// preset meets every constraint, or the pick has no CRF) the smallest result with a CRF that
// meets every constraint but --min-ssim, which tuning may then bring up to it. Nothing when
// there is none.
std::optional<std::size_t> tune_candidate(const std::vector<PresetResult>& results,
                                          const std::vector<Preset>& presets,
                                          const Constraints& constraints,
                                          std::optional<std::size_t> recommended);

enum class TuneOutcome {
    found,       // `chosen` meets --min-ssim, and the next CRF up does not (or is out of range)
    unreachable, // the lowest CRF misses it
    gave_up,     // out of probes before any CRF met it
    not_tunable, // no preset to tune, or its CRF cannot be searched: `reason`
    failed,      // a probe's encode failed: `reason`
};

struct TuneProbe {
    int crf = 0;
    PresetResult result;
};

struct TuneResult {
    std::string base; // the preset tuned
    double target = 0;
    TuneOutcome outcome = TuneOutcome::not_tunable;
    std::string reason;
    int base_crf = 0;
    std::vector<TuneProbe> probes;     // in the order run; the first is the bake-off's result
    std::optional<std::size_t> chosen; // found: the answer; otherwise the best SSIM tried
    std::optional<Preset> preset;      // found: the base at the chosen CRF

    const PresetResult* chosen_result() const { return chosen ? &probes[*chosen].result : nullptr; }
};

// Searches the CRF of `base` (whose bake-off result is `base_result`) for mean SSIM `target`.
// Progress, one line per probe, on stderr. Throws Interrupted when the user stops the bench.
TuneResult tune_preset(const Captured& content, const Preset& base, const PresetResult& base_result,
                       double target, const MeasureContext& context);

// One line: the answer, or why there is none, e.g. "Tuned x264-crf23 for --min-ssim 0.95: CRF 19
// (the preset has 23), the largest CRF that meets it".
std::string tune_headline(const TuneResult& tune);

// The report on stdout: the headline and the probes in CRF order.
std::string tune_summary(const TuneResult& tune);

// "found", "unreachable", "gave_up", "not_tunable", "failed": for --json.
std::string tune_outcome_name(TuneOutcome outcome);

} // namespace framepipe::bench
