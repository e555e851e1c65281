// Netpbm images, as POV-Ray (+fp), netpbm's tools and ffmpeg's image2pipe write them: binary PGM
// (P5), PPM (P6) and PAM (P7), one after another with nothing between them. The grammar is that
// of netpbm's pgm(5), ppm(5) and pam(5) pages; docs/input-formats.md says how framepipe reads the
// corners they leave open.
#pragma once

#include "streams/frame_stream.h"

#include <span>
#include <string>
#include <vector>

namespace framepipe {

// The ffmpeg pixel format of a raster with `depth` samples a pixel (1 gray, 2 gray+alpha, 3 RGB,
// 4 RGBA) of one byte each when maxval <= 255, else two big-endian bytes.
std::string pnm_pix_fmt(unsigned depth, std::uint32_t maxval);

// Stretches samples that run 0..maxval to the full 0..255 (or 0..65535, big-endian) of their
// width, rounding to nearest, in place: ffmpeg's rawvideo takes every sample as full range.
// A sample above maxval (invalid in netpbm) becomes full scale.
void rescale_pnm_samples(std::span<std::uint8_t> raster, std::uint32_t maxval);

class PnmParser final : public RasterStreamParser {
  protected:
    HeaderProgress read_header(std::span<const std::uint8_t> bytes) override;
    bool header_started() const override { return !magic_.empty(); }

  private:
    bool take_magic(char c, std::uint64_t at);
    // Each returns true when c ended the header.
    bool take_pnm_byte(char c, std::uint64_t at);
    bool take_pam_byte(char c, std::uint64_t at);
    void finish_token();
    void take_pam_line(std::uint64_t at);
    StreamDescription describe(unsigned depth, std::uint64_t at) const;
    StreamDescription describe_pam(std::uint64_t at) const;
    void reset();

    std::string magic_;
    // P5/P6: the width, height and maxval read so far, the token being read, and where it began.
    std::vector<std::uint64_t> numbers_;
    std::string token_;
    std::uint64_t token_start_ = 0;
    bool in_comment_ = false;
    bool magic_separated_ = false;
    // P7: the header line being read, and the fields seen.
    std::string line_;
    bool magic_line_done_ = false;
    std::optional<std::uint64_t> width_, height_, depth_, maxval_;
    std::string tupltype_;
};

} // namespace framepipe
