// What `framepipe bench` concludes below its table: the recommendation for the constraints, the
// --tune search from it, the --save-preset file, the command to use, and the exit status (10
// when nothing meets the constraints, even after tuning).
#pragma once

#include "bench/bench_options.h"
#include "bench/capture.h"
#include "bench/measure.h"
#include "bench/result.h"
#include "bench/save_preset.h"
#include "bench/table.h"
#include "bench/tune.h"
#include "preset.h"
#include "preset_catalog.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace framepipe::bench {

// The bake-off as run: presets[i] gave results[i].
struct BakeOff {
    const Captured& content;
    const std::vector<Preset>& presets;
    const std::vector<PresetResult>& results;
    const MeasureContext& context;
    TableStyle style;
    std::string ffmpeg_version; // for the saved preset's comment
};

struct SavedPreset {
    std::string name;
    std::filesystem::path file;
};

struct Conclusion {
    std::optional<std::size_t> recommended; // index into results
    std::optional<TuneResult> tune;
    std::optional<SavedPreset> saved;
    int status = 0;
};

// Prints the conclusion on stdout (errors on stderr) and returns it. `save` is where
// --save-preset writes (checked before the bake-off ran); `search` the catalogue's search path.
// Throws Interrupted when the user stops a --tune probe.
Conclusion conclude(const BenchOptions& options, const BakeOff& run,
                    const std::optional<SaveTarget>& save, const PresetSearchPath& search);

// The framepipe command line that uses `preset_name` on frames like `content`.
std::string suggested_command(const Captured& content, const std::string& preset_name,
                              const std::string& container);

} // namespace framepipe::bench
