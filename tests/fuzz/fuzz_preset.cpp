// Fuzz target: a preset file's JSON, its fields, extends chains resolved against itself, and the
// -crf value framepipe bench --tune searches from.
#include "bench/crf_knob.h"
#include "fuzz_support.h"
#include "json_fuzz.h"
#include "preset.h"

#include <optional>
#include <variant>

namespace {

void check(std::string_view text) {
    using namespace framepipe;
    std::optional<PresetSource> source;
    fuzz::refused([&] { source = parse_preset_source(text, "fuzz.json"); });
    if (!source)
        return;
    // A lookup that finds only this preset: an `extends` of itself must be caught as a cycle.
    const PresetLookup lookup = [&](std::string_view name) -> const PresetSource* {
        return name == source->name ? &*source : nullptr;
    };
    fuzz::refused([&] {
        Preset p = resolve_preset(*source, lookup);
        fuzz::require(!p.encoder.empty());
        const auto knob = bench::crf_knob(p);
        if (const auto* k = std::get_if<bench::CrfKnob>(&knob)) {
            fuzz::require(k->index < p.args.size() && p.args[k->index - 1] == "-crf");
            const Preset q = bench::with_crf(p, *k, k->range.max);
            fuzz::require(q.args[k->index] == std::to_string(k->range.max) && q.name.size() <= 64);
        }
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    framepipe::fuzz::with_a_value_retyped(framepipe::fuzz::as_text(data, size), check);
    return 0;
}
