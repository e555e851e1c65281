// Fuzz target: option values, one a line: --size, --fps, --pix-fmt, then the colormap's --range
// and --nan-color, then framepipe bench's --max-size, --min-speed and --min-ssim.
#include "bench/units.h"
#include "colormap/colormap_options.h"
#include "frame_geometry.h"
#include "fuzz_support.h"
#include "pixel_format.h"
#include "rational.h"

#include <cmath>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    std::string_view text = fuzz::as_text(data, size);
    auto next_line = [&] {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        return line;
    };
    const auto size_text = next_line(), rate_text = next_line(), format_text = next_line();
    std::optional<FrameSize> frame_size;
    fuzz::refused([&] { frame_size = parse_frame_size(size_text); });
    if (frame_size)
        fuzz::require(frame_size->width >= 1 && frame_size->width <= kMaxDimension &&
                      frame_size->height >= 1 && frame_size->height <= kMaxDimension);
    fuzz::refused([&] {
        Rational r = parse_frame_rate(rate_text);
        fuzz::require(r.num > 0 && r.den > 0 &&
                      to_string(r) == to_string(parse_frame_rate(to_string(r))));
    });
    fuzz::refused([&] {
        const PixelFormat& f = parse_pixel_format(format_text);
        if (frame_size)
            fuzz::refused([&] { fuzz::require(frame_bytes(*frame_size, f) <= kMaxFrameBytes); });
    });
    const auto range_arg = next_line(), nan_arg = next_line();
    fuzz::refused([&] {
        const RangeChoice range = parse_range(range_arg);
        if (range.automatic) {
            fuzz::require(range.frames >= 1 && range.frames <= RangeChoice::max_auto_frames);
        } else {
            fuzz::require(range.fixed.lo < range.fixed.hi && range_problem(range.fixed).empty());
            (void)range_text(range.fixed);
        }
    });
    fuzz::refused([&] { (void)parse_nan_colour(nan_arg); });
    const auto max_size = next_line(), min_speed = next_line(), min_ssim = next_line();
    fuzz::refused([&] {
        const auto bytes = bench::parse_byte_size(max_size);
        fuzz::require(bytes >= 1 && bytes <= 1000000000000000000ull);
    });
    fuzz::refused([&] {
        const double speed = bench::parse_speed(min_speed);
        fuzz::require(speed > 0 && std::isfinite(speed));
    });
    fuzz::refused([&] {
        const double ssim = bench::parse_min_ssim(min_ssim);
        fuzz::require(ssim > 0 && ssim <= 1);
    });
    return 0;
}
