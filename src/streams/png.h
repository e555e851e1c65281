// PNG images one after another, as matplotlib's savefig(..., format='png') and ffmpeg's
// image2pipe write them. The parser walks each image's chunks (ISO/IEC 15948, the W3C PNG
// specification) to find where it ends, checks every chunk's length and CRC-32 so that a damaged
// image is named rather than half-decoded, and reads IHDR so that an image unlike the first is
// refused. A frame's pix_fmt is what framepipe decodes the image into (png_decode.h).
#pragma once

#include "streams/frame_stream.h"

#include <array>
#include <cstdint>
#include <string>

namespace framepipe {

inline constexpr std::array<std::uint8_t, 8> kPngSignature{0x89, 'P',  'N',  'G',
                                                           '\r', '\n', 0x1a, '\n'};

class PngParser final : public FrameStreamParser {
  protected:
    ParseStep parse(std::span<const std::uint8_t> bytes) override;
    bool inside_frame() const override { return state_ != State::signature || got_ != 0; }
    std::string truncation_detail() const override;

  private:
    enum class State { signature, chunk_header, chunk_data, chunk_crc };
    // Each takes bytes of its part and returns how many it used; `event` is set when the byte
    // consumed last completed a frame's header or the frame.
    std::size_t take_signature(std::span<const std::uint8_t> bytes);
    std::size_t take_chunk_header(std::span<const std::uint8_t> bytes);
    std::size_t take_chunk_data(std::span<const std::uint8_t> bytes);
    std::size_t take_chunk_crc(std::span<const std::uint8_t> bytes, ParseStep& step);
    void check_chunk_header();
    void finish_chunk(ParseStep& step);
    StreamDescription read_ihdr() const;
    std::string chunk_name() const;

    State state_ = State::signature;
    std::array<std::uint8_t, 13> buffer_{}; // the part being gathered: signature, header, CRC, IHDR
    std::size_t got_ = 0;
    std::uint64_t at_ = 0; // offset of the next byte, kept here as parse() advances
    std::uint64_t chunk_start_ = 0;
    std::uint32_t chunk_length_ = 0;
    std::uint32_t data_left_ = 0;
    std::array<char, 4> type_{};
    unsigned long crc_ = 0;
    std::array<std::uint8_t, 13> ihdr_{};
    bool seen_ihdr_ = false, seen_plte_ = false, seen_idat_ = false;
};

} // namespace framepipe
