#include "preset_catalog.h"

#include "error.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#ifndef FRAMEPIPE_INSTALL_PRESET_DIR
#define FRAMEPIPE_INSTALL_PRESET_DIR "/usr/local/share/framepipe/presets"
#endif

namespace framepipe {

namespace fs = std::filesystem;

std::optional<fs::path> user_preset_directory(const char* xdg_config_home, const char* home) {
    if (xdg_config_home != nullptr && *xdg_config_home == '/')
        return fs::path(xdg_config_home) / "framepipe" / "presets";
    if (home != nullptr && *home != '\0')
        return fs::path(home) / ".config" / "framepipe" / "presets";
    return std::nullopt;
}

PresetSearchPath standard_preset_search_path(std::optional<fs::path> preset_file,
                                             const char* preset_path_env,
                                             const char* xdg_config_home, const char* home,
                                             fs::path builtin_dir) {
    PresetSearchPath search;
    search.preset_file = std::move(preset_file);
    if (preset_path_env != nullptr) {
        std::string_view rest = preset_path_env;
        while (!rest.empty()) {
            auto colon = rest.find(':');
            auto part = rest.substr(0, colon);
            if (!part.empty())
                search.directories.push_back({fs::path(part), false});
            if (colon == std::string_view::npos)
                break;
            rest.remove_prefix(colon + 1);
        }
    }
    if (auto user = user_preset_directory(xdg_config_home, home))
        search.directories.push_back({*user, false});
    search.directories.push_back({std::move(builtin_dir), true});
    return search;
}

fs::path builtin_preset_directory() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path candidate :
             {exe.parent_path() / "presets",
              exe.parent_path().parent_path() / "share" / "framepipe" / "presets"})
            if (fs::is_directory(candidate, ec))
                return candidate;
    }
    return FRAMEPIPE_INSTALL_PRESET_DIR;
}

PresetCatalog::PresetCatalog(PresetSearchPath search) : search_(std::move(search)) {}

const PresetSource& PresetCatalog::read(const fs::path& file,
                                        std::optional<std::string_view> name) {
    auto key = file.string();
    if (auto it = by_file_.find(key); it != by_file_.end())
        return it->second;
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(ExitCode::preset, "cannot read preset file '" + key +
                                          "': " + std::strerror(errno) +
                                          "; check the path and its permissions");
    std::stringstream text;
    text << in.rdbuf();
    auto source = parse_preset_source(text.str(), key, name);
    return by_file_.emplace(key, std::move(source)).first->second;
}

std::optional<std::string> PresetCatalog::preset_file_name() {
    if (!search_.preset_file)
        return std::nullopt;
    const auto& source = read(*search_.preset_file, std::nullopt);
    if (!preset_file_read_) {
        by_name_.emplace(source.name, source);
        preset_file_read_ = true;
    }
    return source.name;
}

const PresetSource* PresetCatalog::find(std::string_view name) {
    preset_file_name();
    if (auto it = by_name_.find(name); it != by_name_.end())
        return &it->second;
    std::error_code ec;
    for (const auto& dir : search_.directories) {
        auto file = dir.path / (std::string(name) + ".json");
        if (fs::is_regular_file(file, ec)) {
            const auto& source = read(file, name);
            return &by_name_.emplace(std::string(name), source).first->second;
        }
    }
    return nullptr;
}

Preset PresetCatalog::load(std::string_view name) {
    if (!is_valid_preset_name(name))
        throw Error(
            ExitCode::usage,
            "invalid preset name '" + std::string(name) +
                "': a preset is named, not given as a path (letters, digits, '.', '_', '-'); "
                "use --preset-file FILE for a preset file elsewhere");
    const PresetSource* source = find(name);
    if (source == nullptr) {
        std::string known;
        for (const auto& e : list()) {
            if (!known.empty())
                known += ", ";
            known += e.name;
        }
        throw Error(ExitCode::usage,
                    "unknown preset '" + std::string(name) + "': known presets are " +
                        (known.empty() ? std::string("none (no preset directory found)") : known) +
                        "; see framepipe --list-presets");
    }
    return resolve_preset(*source, [this](std::string_view n) { return find(n); });
}

std::vector<PresetCatalog::Entry> PresetCatalog::list() {
    std::vector<Entry> entries;
    std::set<std::string, std::less<>> seen;
    auto add = [&](const std::string& name, const std::string& origin, bool builtin) {
        if (!seen.insert(name).second)
            return;
        Entry e{name, origin, builtin, std::nullopt, {}};
        try {
            e.preset = load(name);
        } catch (const Error& err) {
            e.error = err.what();
        }
        entries.push_back(std::move(e));
    };
    if (search_.preset_file) {
        try {
            if (auto name = preset_file_name())
                add(*name, search_.preset_file->string(), false);
        } catch (const Error& err) {
            entries.push_back({search_.preset_file->stem().string(), search_.preset_file->string(),
                               false, std::nullopt, err.what()});
        }
    }
    std::error_code ec;
    for (const auto& dir : search_.directories) {
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir.path, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().extension() == ".json" &&
                is_valid_preset_name(it->path().stem().string()))
                files.push_back(it->path());
        ec.clear();
        std::sort(files.begin(), files.end());
        for (const auto& f : files)
            add(f.stem().string(), f.string(), dir.builtin);
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return entries;
}

} // namespace framepipe
