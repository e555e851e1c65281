// Fuzz target: --input-format auto's detection, and the PNM rescaling of a raster.
#include "fuzz_support.h"
#include "streams/detect.h"
#include "streams/pnm.h"

#include <algorithm>
#include <optional>

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const std::span<const std::uint8_t> bytes(data, size);
    for (bool at_end : {false, true}) {
        std::optional<StreamFormat> format;
        const bool no = fuzz::refused([&] {
            format = detect_stream_format(bytes.first(std::min<std::size_t>(size, kDetectBytes)),
                                          at_end);
        });
        fuzz::require(!(no && format));
        fuzz::require(no || format || !at_end);
    }
    if (size >= 2) {
        const std::uint32_t maxval = 1 + ((std::uint32_t{data[0]} << 8) | data[1]) % 65535;
        std::vector<std::uint8_t> raster(data + 2, data + size);
        rescale_pnm_samples(raster, maxval);
        if (maxval <= 255)
            for (std::size_t i = 0; i < raster.size(); ++i)
                fuzz::require(data[2 + i] < maxval || raster[i] == 255);
    }
    return 0;
}
