#include "bench/save_preset.h"

#include "error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <unistd.h>

namespace framepipe::bench {

namespace fs = std::filesystem;

namespace {

bool file_exists(const fs::path& file) {
    std::error_code ec;
    return fs::exists(file, ec);
}

std::string file_name(const std::string& name) {
    return name + ".json";
}

// A directory searched before the user's that has NAME: the saved preset would never be found.
std::optional<fs::path> shadowing_file(const std::string& name, const PresetSearchPath& search,
                                       const fs::path& user_directory) {
    for (const auto& dir : search.directories) {
        if (dir.path == user_directory || dir.builtin)
            return std::nullopt;
        if (file_exists(dir.path / file_name(name)))
            return dir.path / file_name(name);
    }
    return std::nullopt;
}

std::optional<fs::path> builtin_file(const std::string& name, const PresetSearchPath& search) {
    for (const auto& dir : search.directories)
        if (dir.builtin && file_exists(dir.path / file_name(name)))
            return dir.path / file_name(name);
    return std::nullopt;
}

[[noreturn]] void cannot_write(const fs::path& file, int error) {
    throw Error(ExitCode::output, "cannot write the preset '" + file.string() +
                                      "': " + std::strerror(error) +
                                      "; check that the directory is writable");
}

// Into a temporary file beside the target, then renamed (replacing) or hard-linked (failing if
// the name was taken meanwhile) into place.
void write_file(const fs::path& file, const std::string& text, bool overwrite) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    auto temp = file;
    temp += ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            const int error = errno;
            fs::remove(temp, ec);
            cannot_write(file, error);
        }
    }
    int error = 0;
    if (overwrite ? std::rename(temp.c_str(), file.c_str()) != 0
                  : ::link(temp.c_str(), file.c_str()) != 0)
        error = errno;
    fs::remove(temp, ec);
    if (error == EEXIST)
        throw Error(ExitCode::output, "the preset '" + file.string() +
                                          "' appeared while the bench ran: give -y (--overwrite) "
                                          "to replace it, or choose another name");
    if (error != 0)
        cannot_write(file, error);
}

} // namespace

SaveTarget plan_save(const std::string& name, const PresetSearchPath& search,
                     const std::optional<fs::path>& user_directory, bool overwrite) {
    if (!is_valid_preset_name(name))
        throw Error(ExitCode::usage,
                    "invalid --save-preset name '" + name +
                        "': a preset name is a file name of letters, digits, '.', '_' and '-', "
                        "not starting with '.', at most 64 characters");
    if (!user_directory)
        throw Error(ExitCode::usage, "cannot tell where user presets go for --save-preset: set "
                                     "HOME, or XDG_CONFIG_HOME to an absolute path");
    SaveTarget target{name, *user_directory / file_name(name), false};
    if (auto earlier = shadowing_file(name, search, *user_directory))
        throw Error(ExitCode::output,
                    "a preset '" + name + "' already exists in '" + earlier->string() +
                        "' (FRAMEPIPE_PRESET_PATH), which is searched before '" +
                        user_directory->string() +
                        "': a preset saved there would never be used; choose another name");
    target.replaces = file_exists(target.file);
    if (target.replaces && !overwrite)
        throw Error(ExitCode::output, "the user preset '" + name + "' exists ('" +
                                          target.file.string() +
                                          "'): give -y (--overwrite) to replace it, or choose "
                                          "another name");
    if (auto builtin = builtin_file(name, search); builtin && !overwrite)
        throw Error(ExitCode::output,
                    "'" + name +
                        "' is a built-in preset: a user preset of that name would replace it in "
                        "every framepipe run; give -y (--overwrite) to do that, or choose another "
                        "name");
    return target;
}

void save_preset(const SaveTarget& target, const Preset& preset, const std::string& comment,
                 const PresetSearchPath& search, bool overwrite) {
    Preset named = preset;
    named.name = target.name;
    write_file(target.file, format_preset(named, comment), overwrite);
    // Loaded back as `framepipe -p NAME` will: the command printed next must work.
    PresetCatalog catalog(search);
    const auto loaded = catalog.load(target.name);
    if (loaded.origin != target.file.string() || loaded.args != preset.args ||
        loaded.encoder != preset.encoder)
        throw Error(ExitCode::internal, "the preset written to '" + target.file.string() +
                                            "' loads as '" + loaded.origin +
                                            "' with other settings");
}

} // namespace framepipe::bench
