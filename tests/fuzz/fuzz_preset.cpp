// Fuzz target: a preset file's JSON, its fields, and extends chains resolved against itself.
#include "fuzz_support.h"
#include "preset.h"

#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const auto text = fuzz::as_text(data, size);
    std::optional<PresetSource> source;
    fuzz::refused([&] { source = parse_preset_source(text, "fuzz.json"); });
    if (!source)
        return 0;
    // A lookup that finds only this preset: an `extends` of itself must be caught as a cycle.
    const PresetLookup lookup = [&](std::string_view name) -> const PresetSource* {
        return name == source->name ? &*source : nullptr;
    };
    fuzz::refused([&] {
        Preset p = resolve_preset(*source, lookup);
        fuzz::require(!p.encoder.empty());
    });
    return 0;
}
