// Which presets meet the user's constraints, why the others do not, and the pick: the smallest
// file among those that meet them all.
#pragma once

#include "bench/bench_options.h"
#include "bench/result.h"

#include <optional>
#include <string>
#include <vector>

namespace framepipe::bench {

bool has_constraints(const Constraints& c);

// "--max-size 96 MB/min, --min-speed 1x, --min-ssim 0.98, --web": as the messages name them.
std::string describe_constraints(const Constraints& c);

// Why this result fails the constraints ("size 120.0 MB/min > 96.0 MB/min"); empty when it meets
// them all. Presets that did not encode fail with their reason.
std::vector<std::string> failed_constraints(const PresetResult& r, const Constraints& c);

// Index of the smallest result meeting every constraint, or nothing.
std::optional<std::size_t> recommend(const std::vector<PresetResult>& results,
                                     const Constraints& c);

} // namespace framepipe::bench
