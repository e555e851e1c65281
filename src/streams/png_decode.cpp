#include "streams/png_decode.h"

#include "error.h"

#include <bit>
#include <memory>
#include <spng.h>
#include <utility>

namespace framepipe {

namespace {

struct ContextDeleter {
    void operator()(spng_ctx* ctx) const { spng_ctx_free(ctx); }
};

// libspng's output format for each format png_decoded_pix_fmt() names. SPNG_FMT_PNG is the
// image's own layout in host byte order: 16-bit grey and RGB need no expansion.
int spng_format(const PixelFormat& format) {
    const std::string_view name = format.name;
    if (name == "gray")
        return SPNG_FMT_G8;
    if (name == "rgb24")
        return SPNG_FMT_RGB8;
    if (name == "rgba")
        return SPNG_FMT_RGBA8;
    if (name == "rgba64le")
        return SPNG_FMT_RGBA16;
    if (name == "gray16le" || name == "rgb48le")
        return SPNG_FMT_PNG;
    throw Error(ExitCode::internal, "no PNG decoding into " + std::string(name));
}

[[noreturn]] void fail(const char* what, int code) {
    throw Error(ExitCode::input, std::string(what) + ": " + spng_strerror(code) +
                                     " (libspng error " + std::to_string(code) +
                                     "); the image is damaged, or not one PNG allows");
}

} // namespace

std::optional<std::string> png_decoded_pix_fmt(unsigned colour_type, unsigned bit_depth) {
    const bool low = bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8;
    switch (colour_type) {
    case 0: // greyscale
        if (low || bit_depth == 16)
            return bit_depth == 16 ? "gray16le" : "gray";
        break;
    case 2: // RGB
        if (bit_depth == 8 || bit_depth == 16)
            return bit_depth == 8 ? "rgb24" : "rgb48le";
        break;
    case 3: // palette, whose tRNS may give alpha
        if (low)
            return "rgba";
        break;
    case 4: // greyscale with alpha
    case 6: // RGBA
        if (bit_depth == 8 || bit_depth == 16)
            return bit_depth == 8 ? "rgba" : "rgba64le";
        break;
    default:
        break;
    }
    return std::nullopt;
}

void decode_png(std::span<const std::uint8_t> image, const PixelFormat& format,
                std::span<std::uint8_t> out) {
    const std::unique_ptr<spng_ctx, ContextDeleter> ctx(spng_ctx_new(0));
    if (!ctx)
        throw Error(ExitCode::internal, "libspng could not allocate a decoder");
    // png.h checked every CRC already; checking them again would cost a pass over the image.
    int r = spng_set_crc_action(ctx.get(), SPNG_CRC_USE, SPNG_CRC_USE);
    if (r == 0)
        r = spng_set_png_buffer(ctx.get(), image.data(), image.size());
    if (r != 0)
        fail("the PNG could not be opened", r);
    const int fmt = spng_format(format);
    std::size_t size = 0;
    if ((r = spng_decoded_image_size(ctx.get(), fmt, &size)) != 0)
        fail("the PNG's header could not be read", r);
    if (size != out.size())
        throw Error(ExitCode::input, "the PNG decodes to " + std::to_string(size) +
                                         " bytes where a " + std::string(format.name) +
                                         " frame of its size has " + std::to_string(out.size()));
    // Only a palette's alpha is applied: greyscale and RGB decode into formats without alpha.
    const int flags = fmt == SPNG_FMT_RGBA8 || fmt == SPNG_FMT_RGBA16 ? SPNG_DECODE_TRNS : 0;
    if ((r = spng_decode_image(ctx.get(), out.data(), out.size(), fmt, flags)) != 0)
        fail("the PNG's image data does not decode", r);
    // libspng's 16-bit samples are in the host's byte order; the 16-bit formats are little-endian.
    if constexpr (std::endian::native == std::endian::big)
        if (fmt == SPNG_FMT_RGBA16 || fmt == SPNG_FMT_PNG)
            for (std::size_t i = 0; i + 1 < out.size(); i += 2)
                std::swap(out[i], out[i + 1]);
}

} // namespace framepipe
