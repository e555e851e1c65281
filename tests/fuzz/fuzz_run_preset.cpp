// Fuzz target: what framepipe bench reads from the framepipe it runs for each preset: the
// --stats-json file (its encode time), and its stderr (its error message), from the same input.
#include "bench/run_preset.h"
#include "fuzz_support.h"
#include "json_fuzz.h"

#include <cmath>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const auto text = fuzz::as_text(data, size);
    fuzz::with_a_value_retyped(text, [](std::string_view json) {
        if (auto seconds = bench::parse_encode_seconds(json))
            fuzz::require(!std::isnan(*seconds));
    });
    std::vector<std::string> lines;
    for (std::string_view rest = text; !rest.empty();) {
        auto eol = rest.find('\n');
        lines.emplace_back(rest.substr(0, eol));
        rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    }
    const auto message = bench::framepipe_error(lines);
    // The child's --no-fallback advice is not the bench user's to follow.
    fuzz::require(message.find("; drop --no-fallback") == std::string::npos ||
                  message == lines.back());
    return 0;
}
