// BT.709 conversion of packed 8-bit RGB and gray frames into planar 8-bit Y'CbCr (yuv420p or
// yuv444p), limited ("tv") or full ("pc") range: what ffmpeg's
// scale=out_color_matrix=bt709:flags=accurate_rnd,format=... does, done by framepipe so that it
// runs on every core. Pure functions over row ranges, so row bands convert on separate threads.
#pragma once

#include "frame_geometry.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace framepipe::convert {

// Where R, G and B sit in one packed pixel (any alpha or unused byte is ignored, as swscale
// ignores it when converting to a format without alpha).
struct PackedLayout {
    unsigned bytes_per_pixel = 4;
    unsigned r = 0, g = 1, b = 2;
    bool gray = false; // one byte, luminance only
};

// The layout of an 8-bit RGB or gray input format, or nothing for those framepipe leaves to
// ffmpeg (16-bit, float).
std::optional<PackedLayout> packed_layout(std::string_view pix_fmt);

enum class Chroma { s420, s444 };
enum class Range { limited, full };

// yuv420p or yuv444p; nothing for any other output format.
std::optional<Chroma> chroma_for(std::string_view pix_fmt);
// "tv" or "pc", as presets spell it; nothing otherwise.
std::optional<Range> range_for(std::string_view color_range);

struct YuvFormat {
    PackedLayout input;
    FrameSize size;   // the input frame
    FrameSize padded; // the output frame: 4:2:0 grows odd sizes by one black row or column
    Chroma chroma = Chroma::s420;
    Range range = Range::limited;

    std::uint64_t input_bytes() const;
    std::uint64_t output_bytes() const; // Y, then Cb, then Cr, each plane without row padding
};

YuvFormat make_yuv_format(const PackedLayout& input, FrameSize size, Chroma chroma, Range range);

// Converts input rows [row_begin, row_end) into the planes of `out` (a whole output frame).
// row_begin must be even for 4:2:0; a range ending at the last input row also writes the black
// padding row below it. Pixels beyond the input (the padding) are black RGB (0,0,0), exactly as
// ffmpeg's pad filter before its scale, so the last chroma column averages a real pixel with black.
// Chroma in 4:2:0 is the mean of each 2x2 block: centre siting (see docs/architecture.md).
void convert_rows(const YuvFormat& f, const std::uint8_t* in, std::uint8_t* out,
                  std::uint32_t row_begin, std::uint32_t row_end);

} // namespace framepipe::convert
