// Fuzz target: the PGM/PPM/PAM stream parser, fed whole, byte by byte and in pieces with skips.
#include "stream_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return framepipe::fuzz::fuzz_stream(framepipe::StreamFormat::pnm, data, size);
}
