// Building PNG files byte by byte in the tests: chunks with their CRCs, and IHDR.
#pragma once

#include <cstdint>
#include <string>
#include <zlib.h>

namespace framepipe::testing {

inline std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

inline std::string png_chunk(const std::string& type, const std::string& data) {
    const std::string body = type + data;
    auto crc =
        crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
    return be32(static_cast<std::uint32_t>(data.size())) + body +
           be32(static_cast<std::uint32_t>(crc));
}

inline std::string png_ihdr(std::uint32_t w, std::uint32_t h, int depth = 8, int colour = 2,
                            int interlace = 0, int compression = 0) {
    return png_chunk("IHDR", be32(w) + be32(h) +
                                 std::string{static_cast<char>(depth), static_cast<char>(colour),
                                             static_cast<char>(compression), 0,
                                             static_cast<char>(interlace)});
}

// zlib's compression of `raw` (filtered scanlines), as IDAT holds it.
inline std::string zlib_compress(const std::string& raw) {
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    std::string out(size, '\0');
    compress(reinterpret_cast<Bytef*>(out.data()), &size,
             reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()));
    out.resize(size);
    return out;
}

} // namespace framepipe::testing
