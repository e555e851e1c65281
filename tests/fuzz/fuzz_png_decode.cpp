// Fuzz target: libspng's decoding through png_decode.cpp of every image the PNG stream parser
// finds whole, into the first image's decoded format, as a run decodes them.
#include "fuzz_support.h"
#include "streams/detect.h"
#include "streams/png_decode.h"

#include <span>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const std::span<const std::uint8_t> bytes(data, size);
    auto parser = make_stream_parser(StreamFormat::png);
    std::vector<std::uint8_t> frame;
    std::size_t begin = 0, pos = 0;
    try {
        while (pos < size) {
            const ParseStep s = parser->feed(bytes.subspan(pos));
            fuzz::require(s.consumed > 0);
            pos += s.consumed;
            if (!s.frame_complete)
                continue;
            const StreamDescription& d = *parser->stream();
            const PixelFormat& format = parse_pixel_format(d.pix_fmt);
            const std::uint64_t n =
                std::uint64_t{d.size.width} * d.size.height * format.bytes_per_pixel;
            // Large frames are legal, but would only slow the search down.
            if (n <= (4u << 20)) {
                frame.resize(n);
                try {
                    decode_png(bytes.subspan(begin, pos - begin), format, frame);
                } catch (const Error& e) {
                    fuzz::require(e.code() == ExitCode::input);
                }
            }
            begin = pos;
        }
    } catch (const Error& e) {
        fuzz::require(e.code() == ExitCode::input);
    }
    return 0;
}
