// Where presets live and how a name becomes a Preset: the search path, file reading, caching.
#pragma once

#include "preset.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

struct PresetDirectory {
    std::filesystem::path path;
    bool builtin = false;
};

struct PresetSearchPath {
    std::optional<std::filesystem::path> preset_file; // --preset-file: searched first
    std::vector<PresetDirectory> directories;         // then these, in order
};

// The user's presets: $XDG_CONFIG_HOME/framepipe/presets when that is an absolute path, else
// ~/.config/framepipe/presets; nothing without either. Where `framepipe bench --save-preset`
// writes.
std::optional<std::filesystem::path> user_preset_directory(const char* xdg_config_home,
                                                           const char* home);

// The standard order: FRAMEPIPE_PRESET_PATH (colon-separated), $XDG_CONFIG_HOME/framepipe/presets
// (or ~/.config/...), then the built-in set. Environment values are parameters so this stays
// testable; pass nullptr for unset variables.
PresetSearchPath standard_preset_search_path(std::optional<std::filesystem::path> preset_file,
                                             const char* preset_path_env,
                                             const char* xdg_config_home, const char* home,
                                             std::filesystem::path builtin_dir);

// The built-in presets: beside the binary in a build tree, or <prefix>/share/framepipe/presets
// once installed.
std::filesystem::path builtin_preset_directory();

class PresetCatalog {
  public:
    explicit PresetCatalog(PresetSearchPath search);

    // Throws Error(usage) for invalid or unknown names (listing what exists), Error(preset) for
    // invalid files.
    Preset load(std::string_view name);

    // The name defined by --preset-file, if one was given. Throws Error(preset) if it is invalid.
    std::optional<std::string> preset_file_name();

    struct Entry {
        std::string name;
        std::string origin;
        bool builtin = false;
        std::optional<Preset> preset; // empty when the file is invalid
        std::string error;            // why, when it is
    };
    // Every preset reachable by name, first hit per name, sorted by name.
    std::vector<Entry> list();

    const PresetSearchPath& search_path() const { return search_; }

  private:
    const PresetSource* find(std::string_view name);
    const PresetSource& read(const std::filesystem::path& file,
                             std::optional<std::string_view> name);

    PresetSearchPath search_;
    std::map<std::string, PresetSource, std::less<>> by_name_;
    std::map<std::string, PresetSource, std::less<>> by_file_;
    bool preset_file_read_ = false;
};

} // namespace framepipe
