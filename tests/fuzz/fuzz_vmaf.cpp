// Fuzz target: libvmaf's JSON log, read by framepipe bench for its VMAF column.
#include "bench/vmaf.h"
#include "fuzz_support.h"
#include "json_fuzz.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    fuzz::with_a_value_retyped(fuzz::as_text(data, size), [](std::string_view text) {
        if (auto score = bench::parse_vmaf_log(text))
            fuzz::require(!std::isnan(score->mean) && !std::isnan(score->worst));
    });
    return 0;
}
