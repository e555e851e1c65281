// Fuzz target: ffmpeg's version banner line.
#include "ffmpeg_version.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const auto line = fuzz::as_text(data, size);
    const auto version = parse_ffmpeg_banner(line);
    const bool banner = is_ffmpeg_banner(line);
    fuzz::require(!version || banner);
    const auto refusal = check_ffmpeg_banner(line, "ffmpeg");
    fuzz::require(!refusal || !refusal->empty());
    return 0;
}
