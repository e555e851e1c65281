// Fuzz target: the environment variables framepipe reads, as NUL-separated values in this order
// (a value cannot hold a NUL): GLIBC_TUNABLES, passed on to ffmpeg with glibc's huge-page malloc
// switched on unless the user set it; FRAMEPIPE_PRESET_PATH, XDG_CONFIG_HOME, XDG_CACHE_HOME and
// HOME, the preset search path and cache directories; COLUMNS, the status line's width.
#include "child_environment.h"
#include "encoder_cache.h"
#include "fuzz_support.h"
#include "preset_catalog.h"
#include "progress_reporter.h"

#include <array>
#include <optional>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    std::string_view text = fuzz::as_text(data, size);
    // Unset when the input ends before it.
    std::array<std::optional<std::string>, 6> values;
    for (auto& value : values) {
        if (text.empty())
            break;
        const auto nul = text.find('\0');
        value = std::string(text.substr(0, nul));
        text.remove_prefix(nul == std::string_view::npos ? text.size() : nul + 1);
    }
    auto c_str = [](const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; };
    const auto& [tunables, preset_path, xdg_config, xdg_cache, home, columns] = values;

    const std::string on = "glibc.malloc.hugetlb=1";
    const auto result = tunables_with_hugetlb(c_str(tunables));
    // The user's tunables are kept as they are, with ours added at the end or not at all.
    const std::string value = tunables.value_or("");
    fuzz::require(result == value || result == (value.empty() ? on : value + ":" + on));
    fuzz::require(result.find("glibc.malloc.hugetlb") != std::string::npos);
    const std::string entry = "GLIBC_TUNABLES=" + value;
    const char* env[] = {"PATH=/usr/bin", entry.c_str(), nullptr};
    const auto out = ffmpeg_environment(env);
    fuzz::require(out.size() == 2 && out.back() == "GLIBC_TUNABLES=" + result);

    const auto search =
        standard_preset_search_path(std::nullopt, c_str(preset_path), c_str(xdg_config),
                                    c_str(home), "/usr/share/framepipe/presets");
    fuzz::require(!search.directories.empty() && search.directories.back().builtin);
    for (const auto& dir : search.directories)
        fuzz::require(!dir.path.empty());
    if (auto cache = cache_directory(c_str(xdg_cache), c_str(home)))
        fuzz::require(cache->is_absolute());
    fuzz::require(parse_columns(c_str(columns)) >= 0);
    return 0;
}
