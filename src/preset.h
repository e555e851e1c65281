// Encoder presets: what a JSON preset file may say, how it is validated, and how `extends`
// chains are merged. Everything here is pure: reading files is preset_catalog's job.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

enum class Hardware { none, nvenc, qsv, amf, vaapi };
std::string_view to_string(Hardware h);

struct Preset {
    std::string name;
    std::string description;
    std::string encoder;                 // ffmpeg encoder name, e.g. libx264
    std::vector<std::string> args;       // encoder options, after -c:v ENCODER
    std::vector<std::string> input_args; // before -i, e.g. a hardware device
    std::vector<std::string> filters;    // appended after framepipe's colour conversion
    std::string pix_fmt = "yuv420p";     // what the encoder is fed
    std::string color_range = "tv";      // tv (limited) or pc (full), for YUV outputs
    std::vector<std::string> containers; // extensions it can be written into
    Hardware hardware = Hardware::none;
    std::optional<std::string> fallback; // preset to use when the hardware cannot open
    std::string warning;                 // shown whenever the preset is used
    std::string origin;                  // the file it came from
};

// One preset file, syntax- and field-checked but with `extends` not yet applied.
struct PresetSource {
    std::string name;
    std::string origin;
    std::shared_ptr<const nlohmann::json> fields;
};

// Parses and checks one preset document. `origin` names it in every message
// ("presets/x.json:3:7: ..."); `expected_name`, when given, must equal the "name" field, so a
// file called x264-crf17.json cannot define another preset. Throws Error(preset).
PresetSource parse_preset_source(std::string_view text, const std::string& origin,
                                 std::optional<std::string_view> expected_name = std::nullopt);

// Finds a preset's source by name, or nullptr when none exists.
using PresetLookup = std::function<const PresetSource*(std::string_view name)>;

// Applies the `extends` chain (a child's fields replace its parent's, whole) and checks that the
// result is complete. Throws Error(preset) for cycles, missing parents and missing fields.
Preset resolve_preset(const PresetSource& source, const PresetLookup& lookup);

// A preset file's text for `p` (as `framepipe bench --save-preset` writes one): every field of
// the resolved preset, no `extends`, in the order the built-in files use, with `comment` when it
// is not empty. parse_preset_source and resolve_preset give `p` back.
std::string format_preset(const Preset& p, const std::string& comment = {});

// Preset names are file names, never paths: [A-Za-z0-9._-]+, not starting with a dot.
bool is_valid_preset_name(std::string_view name);

// True when the encoder is fed a Y'CbCr format, which is when framepipe's BT.709 conversion and
// colour tags apply. RGB, palette and hardware-surface formats are passed as they are.
bool is_yuv_format(std::string_view pix_fmt);

} // namespace framepipe
