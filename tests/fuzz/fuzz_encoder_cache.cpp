// Fuzz target: a file of the encoder cache (~/.cache/framepipe/encoders-*.txt). The first line
// of the input is the identity of the ffmpeg asking, the rest the file. What it accepts must
// read back the same once written.
#include "encoder_cache.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    std::string_view text = fuzz::as_text(data, size);
    const auto eol = text.find('\n');
    const auto identity = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    const auto encoders = parse_encoder_cache(text, identity);
    if (!encoders)
        return 0;
    for (const auto& name : *encoders)
        fuzz::require(!name.empty() && name.find_first_of(" \t\n") == std::string::npos);
    fuzz::require(parse_encoder_cache(format_encoder_cache(identity, *encoders), identity) ==
                  encoders);
    return 0;
}
