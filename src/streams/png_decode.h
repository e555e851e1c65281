// framepipe decodes a PNG stream's images itself, with libspng, on its worker threads: ffmpeg's
// png_pipe decodes them one at a time ahead of its single-threaded colour conversion, which made
// a PNG stream slower through framepipe than through ffmpeg alone (docs/performance.md). Images
// come here whole and already walked chunk by chunk (png.h): lengths and CRCs were checked there,
// so the decoder skips the CRCs and checks what only decoding can find (the zlib stream, the
// filter bytes, the image data's length).
#pragma once

#include "pixel_format.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace framepipe {

// The raw format framepipe decodes a PNG of this colour type and bit depth into, or nothing
// when the PNG specification does not allow the pair. Every format is one raw frames can have
// too (pixel_format.h), so ffmpeg and framepipe's conversion treat the frames as raw ones:
// greyscale to gray (1 to 8 bits, scaled to 0-255) or gray16le; RGB to rgb24 or rgb48le;
// palette, grey with alpha and RGBA to rgba, or rgba64le for 16 bits. A tRNS colour key of a
// greyscale or RGB image is not turned into alpha: no preset's encoder keeps alpha.
std::optional<std::string> png_decoded_pix_fmt(unsigned colour_type, unsigned bit_depth);

// Decodes one whole PNG image into `out`, which holds exactly one frame of `format` (the format
// png_decoded_pix_fmt() gives for the image) at the image's size. Throws Error(input) saying what
// libspng found wrong, without the frame's number or offset, which the caller knows.
void decode_png(std::span<const std::uint8_t> image, const PixelFormat& format,
                std::span<std::uint8_t> out);

} // namespace framepipe
