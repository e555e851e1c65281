// YUV4MPEG2 (.y4m), as ffmpeg, GStreamer's y4menc, vspipe --y4m and mpv write it: a stream header
// line "YUV4MPEG2 W.. H.. ..." and frames that each start with a "FRAME[ params]" line. The
// grammar is mjpegtools' yuv4mpeg(5); the colourspaces beyond it are those of ffmpeg's
// yuv4mpegpipe muxer and demuxer (docs/input-formats.md).
#pragma once

#include "streams/frame_stream.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace framepipe {

struct Y4mColourspace {
    std::string_view tag;     // after 'C' in the header
    std::string_view pix_fmt; // ffmpeg's name for the same planar layout
    unsigned chroma_shift_x;  // log2 of the horizontal chroma subsampling
    unsigned chroma_shift_y;
    unsigned bytes_per_sample; // 2 above 8 bits, little-endian as ffmpeg writes them
    unsigned planes;           // 1 (mono), 3, or 4 (444alpha)
    ChromaSiting chroma;
};

std::span<const Y4mColourspace> y4m_colourspaces();
// "420jpeg, 420mpeg2, ...": for the message refusing an unknown one.
std::string y4m_colourspace_names();
// The bytes of one frame's planes, chroma planes rounded up as ffmpeg rounds them.
std::uint64_t y4m_frame_bytes(FrameSize size, const Y4mColourspace& cs);

class Y4mParser final : public RasterStreamParser {
  protected:
    HeaderProgress read_header(std::span<const std::uint8_t> bytes) override;
    bool header_started() const override { return !line_.empty(); }

  private:
    // What the stream header's tags said so far.
    struct StreamTags {
        StreamDescription d;
        std::optional<std::uint64_t> width, height;
        const Y4mColourspace* cs = nullptr;    // from C
        const Y4mColourspace* yscss = nullptr; // from XYSCSS, used only without C
        std::string unknown_yscss;
        std::string seen; // the tags that may appear once
    };

    // Returns the consumed count; sets `complete` when a whole line is in line_.
    std::size_t read_line(std::span<const std::uint8_t> bytes, bool& complete);
    StreamDescription parse_stream_header(std::uint64_t at) const;
    void apply_stream_tag(StreamTags& t, std::string_view tok, std::uint64_t at) const;
    void apply_extension(StreamTags& t, std::string_view value, const std::string& quoted,
                         std::uint64_t at) const;
    void parse_frame_line(std::uint64_t at) const;

    bool have_stream_header_ = false;
    StreamDescription stream_;
    std::string line_;
};

} // namespace framepipe
