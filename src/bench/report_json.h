// The --json document: every number of the table, the constraints and the pick, and the machine
// and ffmpeg they came from (a table means little without them).
#pragma once

#include "bench/bench_options.h"
#include "bench/capture.h"
#include "bench/result.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe::bench {

struct Provenance {
    std::string ffmpeg_path;
    std::string ffmpeg_version; // the first line of `ffmpeg -version`
    std::string cpu;            // /proc/cpuinfo's model name
    unsigned cores = 0;
    std::string system; // uname: sysname release machine
};

// The first "model name : ..." of /proc/cpuinfo's text, or "" (some architectures have none).
std::string cpu_model(std::string_view cpuinfo);

Provenance current_provenance(const std::string& ffmpeg_path, const std::string& version_text);

struct Conclusion;

// `vmaf`: whether this ffmpeg measured VMAF (else "vmaf" says why not).
nlohmann::ordered_json bench_json(const Captured& content, const std::vector<PresetResult>& results,
                                  const Constraints& constraints, const Conclusion& conclusion,
                                  const Provenance& where, bool vmaf);

} // namespace framepipe::bench
