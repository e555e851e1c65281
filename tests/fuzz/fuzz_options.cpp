// Fuzz target: the option values parsed in the core, --size, --fps and --pix-fmt (one a line).
#include "frame_geometry.h"
#include "fuzz_support.h"
#include "pixel_format.h"
#include "rational.h"

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
    return 0;
}
