// Fuzz target: /proc/cpuinfo's model name, which framepipe bench reports and keys its cache on.
#include "bench/report_json.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const auto text = fuzz::as_text(data, size);
    const auto model = bench::cpu_model(text);
    fuzz::require(model.size() <= text.size() && model.find('\n') == std::string::npos);
    return 0;
}
