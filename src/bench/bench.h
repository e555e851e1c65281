// `framepipe bench`: captures the content once, encodes it with each preset in turn, measures
// every output against it, prints the table and, given constraints, the preset to use.
#pragma once

#include "bench/bench_options.h"
#include "preset.h"

#include <optional>
#include <string>
#include <vector>

namespace framepipe::bench {

// The presets `--quick` tries, when this ffmpeg has them (plus every hardware preset): the ones
// the published comparison found worth choosing between, none slower than a few seconds.
const std::vector<std::string>& quick_shortlist();

// Which presets to try: the named ones, or all, or (by default) those whose encoder `encoders`
// lists (all when it is unknown), narrowed to the shortlist with --quick.
std::vector<Preset> select_presets(const std::vector<Preset>& available,
                                   const std::vector<std::string>& requested, bool quick,
                                   const std::optional<std::vector<std::string>>& encoders);

// Returns the exit status. Throws Error.
int run_bench(const BenchOptions& options);

} // namespace framepipe::bench
