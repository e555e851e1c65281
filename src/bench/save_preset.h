// `framepipe bench --save-preset NAME`: the bench's pick (tuned or recommended) written as a user
// preset, in the format the catalogue loads, where `framepipe -p NAME` finds it. Checked before
// the bench spends minutes measuring, and written so that a concurrent run never reads half a file
// nor replaces a preset it was not told to.
#pragma once

#include "preset.h"
#include "preset_catalog.h"

#include <filesystem>
#include <optional>
#include <string>

namespace framepipe::bench {

struct SaveTarget {
    std::string name;
    std::filesystem::path file;
    bool replaces = false; // a user preset of that name exists and --overwrite was given
};

// Where NAME would be saved, or Error(usage) for an invalid name or no user directory, and
// Error(output) when a user preset NAME exists (without `overwrite`), when NAME is a built-in
// preset the new one would hide (without `overwrite`), or when a directory searched before the
// user's (FRAMEPIPE_PRESET_PATH) has NAME, so the saved preset would never be used.
SaveTarget plan_save(const std::string& name, const PresetSearchPath& search,
                     const std::optional<std::filesystem::path>& user_directory, bool overwrite);

// Writes the file (format_preset: every field, no `extends`, so it means exactly what was
// measured even if the preset it came from changes later; `comment` says where it came from),
// creating the directory, then loads it back through `search` as
// `framepipe -p NAME` will. Throws Error(output) when it cannot be written or the name was taken
// meanwhile, Error(internal) if the written file does not load as `preset`.
void save_preset(const SaveTarget& target, const Preset& preset, const std::string& comment,
                 const PresetSearchPath& search, bool overwrite);

} // namespace framepipe::bench
