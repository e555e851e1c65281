// Fuzz target: a file of framepipe bench's result cache (~/.cache/framepipe/bench), which
// anything may have written or cut short. What it accepts must write back to the same result.
#include "bench/cache.h"
#include "fuzz_support.h"
#include "json_fuzz.h"

namespace {

void check(std::string_view text) {
    using namespace framepipe;
    const auto r = bench::parse_cached_result(text);
    if (!r)
        return;
    fuzz::require(r->outcome == bench::Outcome::encoded && r->quality.has_value());
    const auto again = bench::parse_cached_result(bench::format_cached_result(*r));
    fuzz::require(again.has_value());
    const auto &q = *r->quality, &p = *again->quality;
    fuzz::require(again->preset == r->preset && again->encoder == r->encoder &&
                  again->web == r->web && again->frames == r->frames &&
                  again->fps_in == r->fps_in && again->seconds == r->seconds &&
                  again->bytes == r->bytes);
    fuzz::require(p.ssim_mean == q.ssim_mean && p.ssim_worst == q.ssim_worst &&
                  p.psnr_mean == q.psnr_mean && p.psnr_worst == q.psnr_worst &&
                  p.frames_compared == q.frames_compared && p.decoded_as == q.decoded_as &&
                  p.vmaf_mean == q.vmaf_mean && p.vmaf_worst == q.vmaf_worst);
    // The derived figures the table prints: no sanitizer finding, whatever the counts.
    (void)r->speed();
    (void)r->bytes_per_minute();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    framepipe::fuzz::with_a_value_retyped(framepipe::fuzz::as_text(data, size), check);
    return 0;
}
