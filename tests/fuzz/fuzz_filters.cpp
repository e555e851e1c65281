// Fuzz target: the `ffmpeg -filters` listing, where framepipe bench looks for libvmaf.
#include "ffmpeg_filters.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    if (auto filters = parse_filter_list(fuzz::as_text(data, size)))
        for (const auto& name : *filters)
            fuzz::require(!name.empty() && name.find_first_of(" \t\r\n") == std::string::npos);
    return 0;
}
