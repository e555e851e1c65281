#include "streams/png.h"

#include "pixel_format.h"
#include "streams/header_text.h"
#include "streams/png_decode.h"

#include <algorithm>
#include <cstdio>
#include <zlib.h>

namespace framepipe {

namespace {

constexpr std::uint32_t kMaxChunkLength = 0x7fffffff; // PNG: "a 4-byte unsigned integer < 2^31"

std::uint32_t read_u32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

bool is_letter(std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string hex32(unsigned long v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08lx", v & 0xffffffffUL);
    return buf;
}

bool is(const std::array<char, 4>& type, const char* name) {
    return std::equal(type.begin(), type.end(), name);
}

} // namespace

std::string PngParser::chunk_name() const {
    return std::string(type_.begin(), type_.end());
}

std::size_t PngParser::take_signature(std::span<const std::uint8_t> bytes) {
    if (got_ == 0)
        mark_frame_start(at_);
    std::size_t i = 0;
    for (; i < bytes.size() && got_ < kPngSignature.size(); ++i, ++got_) {
        buffer_[got_] = bytes[i];
        if (bytes[i] != kPngSignature[got_])
            fail(at_ + i - got_,
                 "expected the PNG signature (\\x89PNG\\r\\n\\x1a\\n), found " +
                     quote_bytes(std::string(buffer_.begin(), buffer_.begin() + got_ + 1)) +
                     (frames_complete() > 0 ? ": PNG images must follow each other with nothing "
                                              "between them"
                                            : ""));
    }
    if (got_ == kPngSignature.size()) {
        got_ = 0;
        state_ = State::chunk_header;
        seen_ihdr_ = seen_plte_ = seen_idat_ = false;
    }
    return i;
}

void PngParser::check_chunk_header() {
    chunk_length_ = read_u32(buffer_.data());
    std::copy(buffer_.begin() + 4, buffer_.begin() + 8, type_.begin());
    if (!std::all_of(buffer_.begin() + 4, buffer_.begin() + 8, is_letter))
        fail(chunk_start_, "not a PNG chunk type: " +
                               quote_bytes(std::string(buffer_.begin() + 4, buffer_.begin() + 8)) +
                               " (the image is corrupt, or a chunk before it has a wrong length)");
    const std::string name = chunk_name();
    if (chunk_length_ > kMaxChunkLength)
        fail(chunk_start_, "the PNG chunk " + name + " claims a length of " +
                               std::to_string(chunk_length_) + " bytes, above the 2^31-1 allowed");
    if (!seen_ihdr_ && !is(type_, "IHDR"))
        fail(chunk_start_, "the first PNG chunk is " + name + ", not IHDR");
    if (seen_ihdr_ && is(type_, "IHDR"))
        fail(chunk_start_, "the PNG has a second IHDR chunk");
    if (is(type_, "IHDR") && chunk_length_ != 13)
        fail(chunk_start_,
             "the PNG's IHDR chunk is " + std::to_string(chunk_length_) + " bytes long, not 13");
    if (is(type_, "IEND") && chunk_length_ != 0)
        fail(chunk_start_,
             "the PNG's IEND chunk is " + std::to_string(chunk_length_) + " bytes long, not 0");
    const bool critical = type_[0] >= 'A' && type_[0] <= 'Z';
    if (critical && !is(type_, "IHDR") && !is(type_, "PLTE") && !is(type_, "IDAT") &&
        !is(type_, "IEND"))
        fail(chunk_start_,
             "unknown critical PNG chunk " + name + ": no PNG decoder can read this image");
    if (is(type_, "IDAT") && ihdr_[9] == 3 && !seen_plte_)
        fail(chunk_start_, "the PNG has a palette colour type but no PLTE chunk before its IDAT");
    if (is(type_, "IEND") && !seen_idat_)
        fail(chunk_start_, "the PNG ends (IEND) without any image data (IDAT)");
}

std::size_t PngParser::take_chunk_header(std::span<const std::uint8_t> bytes) {
    if (got_ == 0)
        chunk_start_ = at_;
    const std::size_t n = std::min(bytes.size(), 8 - got_);
    std::copy_n(bytes.begin(), n, buffer_.begin() + static_cast<std::ptrdiff_t>(got_));
    got_ += n;
    if (got_ == 8) {
        check_chunk_header();
        crc_ = crc32(crc32(0L, Z_NULL, 0), buffer_.data() + 4, 4);
        data_left_ = chunk_length_;
        got_ = 0;
        state_ = data_left_ == 0 ? State::chunk_crc : State::chunk_data;
    }
    return n;
}

std::size_t PngParser::take_chunk_data(std::span<const std::uint8_t> bytes) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), data_left_);
    if (is(type_, "IHDR"))
        std::copy_n(bytes.begin(), n, ihdr_.begin() + (chunk_length_ - data_left_));
    crc_ = crc32(crc_, bytes.data(), static_cast<uInt>(n));
    data_left_ -= static_cast<std::uint32_t>(n);
    if (data_left_ == 0)
        state_ = State::chunk_crc;
    return n;
}

StreamDescription PngParser::read_ihdr() const {
    const std::uint32_t width = read_u32(ihdr_.data());
    const std::uint32_t height = read_u32(ihdr_.data() + 4);
    const unsigned depth = ihdr_[8], colour = ihdr_[9];
    if (width == 0 || height == 0)
        fail(chunk_start_, "the PNG's IHDR gives a size of " + std::to_string(width) + "x" +
                               std::to_string(height) + ": both must be at least 1");
    if (width > kMaxDimension || height > kMaxDimension)
        fail(chunk_start_, "the PNG is " + std::to_string(width) + "x" + std::to_string(height) +
                               ", larger than the 65535 pixels a side framepipe takes");
    auto pix_fmt = png_decoded_pix_fmt(colour, depth);
    if (!pix_fmt)
        fail(chunk_start_, "the PNG's IHDR gives colour type " + std::to_string(colour) +
                               " with bit depth " + std::to_string(depth) +
                               ", a pair the PNG specification does not allow");
    if (ihdr_[10] != 0 || ihdr_[11] != 0)
        fail(chunk_start_, "the PNG's IHDR gives compression method " + std::to_string(ihdr_[10]) +
                               " and filter method " + std::to_string(ihdr_[11]) +
                               "; PNG defines only 0 for both");
    if (ihdr_[12] > 1)
        fail(chunk_start_, "the PNG's IHDR gives interlace method " + std::to_string(ihdr_[12]) +
                               "; PNG defines 0 (none) and 1 (Adam7)");
    StreamDescription d;
    d.format = StreamFormat::png;
    d.size = {width, height};
    d.pix_fmt = *pix_fmt;
    d.range = ColorRange::full;
    d.interlacing = Interlacing::progressive; // Adam7 is a storage order, not video fields
    const std::uint64_t decoded =
        std::uint64_t{width} * height * parse_pixel_format(d.pix_fmt).bytes_per_pixel;
    if (decoded > kMaxFrameBytes)
        fail(chunk_start_, "images of " + describe_frame(d) + " are " + std::to_string(decoded) +
                               " bytes decoded, more than ffmpeg can read as one frame (" +
                               std::to_string(kMaxFrameBytes) + ")");
    return d;
}

void PngParser::finish_chunk(ParseStep& step) {
    const unsigned long stored = read_u32(buffer_.data());
    if (stored != crc_)
        fail(chunk_start_, "bad PNG chunk CRC in " + chunk_name() + " (stored " + hex32(stored) +
                               ", computed " + hex32(crc_) + "): the image was damaged on its way");
    got_ = 0;
    state_ = State::chunk_header;
    if (is(type_, "IHDR")) {
        start_frame(read_ihdr(), frame_start_offset());
        seen_ihdr_ = true;
        step.frame_started = true;
    } else if (is(type_, "PLTE")) {
        seen_plte_ = true;
    } else if (is(type_, "IDAT")) {
        seen_idat_ = true;
    } else if (is(type_, "IEND")) {
        state_ = State::signature;
        step.frame_complete = true;
    }
}

std::size_t PngParser::take_chunk_crc(std::span<const std::uint8_t> bytes, ParseStep& step) {
    const std::size_t n = std::min(bytes.size(), 4 - got_);
    std::copy_n(bytes.begin(), n, buffer_.begin() + static_cast<std::ptrdiff_t>(got_));
    got_ += n;
    if (got_ == 4)
        finish_chunk(step);
    return n;
}

ParseStep PngParser::parse(std::span<const std::uint8_t> bytes) {
    ParseStep step;
    step.payload = true;
    at_ = offset();
    while (step.consumed < bytes.size() && !step.frame_started && !step.frame_complete) {
        auto rest = bytes.subspan(step.consumed);
        std::size_t n = 0;
        switch (state_) {
        case State::signature:
            n = take_signature(rest);
            break;
        case State::chunk_header:
            n = take_chunk_header(rest);
            break;
        case State::chunk_data:
            n = take_chunk_data(rest);
            break;
        case State::chunk_crc:
            n = take_chunk_crc(rest, step);
            break;
        }
        step.consumed += n;
        at_ += n;
    }
    return step;
}

std::string PngParser::truncation_detail() const {
    const std::string arrived =
        "only " + std::to_string(offset() - frame_start_offset()) + " bytes of it arrived";
    switch (state_) {
    case State::signature:
        return arrived + ", inside its signature";
    case State::chunk_header:
        return arrived + (got_ == 0 ? ", and no IEND chunk ended it" : ", inside a chunk header");
    case State::chunk_data:
    case State::chunk_crc:
        return arrived + ", inside its " + chunk_name() + " chunk";
    }
    return arrived;
}

} // namespace framepipe
