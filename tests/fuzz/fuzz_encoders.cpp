// Fuzz target: the `ffmpeg -encoders` listing.
#include "ffmpeg_encoders.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    if (auto encoders = parse_encoder_list(fuzz::as_text(data, size)))
        for (const auto& name : *encoders)
            fuzz::require(!name.empty());
    return 0;
}
