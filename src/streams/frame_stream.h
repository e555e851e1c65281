// Self-describing frame streams (YUV4MPEG2, PPM/PGM/PAM, PNG): what a stream says about its
// frames, and the incremental parser every format implements. Parsers are pure: they are fed the
// bytes as they arrive from a pipe, in chunks of any size, and tell the caller which bytes are
// framing (headers framepipe drops) and which are frame data (what ffmpeg is given), where each
// frame ends, and what each frame holds. They own no file descriptor.
#pragma once

#include "frame_geometry.h"
#include "rational.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace framepipe {

enum class StreamFormat { y4m, pnm, png };
std::string_view to_string(StreamFormat f);

enum class ColorRange { unspecified, limited, full };
enum class Interlacing { unknown, progressive, top_first, bottom_first, mixed };
// Where 4:2:0 chroma samples sit; Y4M names it in the colourspace tag, the others have no chroma.
enum class ChromaSiting { unspecified, center, left, top_left };

struct StreamDescription {
    StreamFormat format = StreamFormat::y4m;
    FrameSize size;
    // ffmpeg's name for the frame's pixels; for PNG, what framepipe decodes the image into.
    std::string pix_fmt;
    std::optional<Rational> rate;          // only Y4M carries one
    std::optional<Rational> sample_aspect; // only Y4M carries one
    ColorRange range = ColorRange::unspecified;
    Interlacing interlacing = Interlacing::unknown;
    ChromaSiting chroma = ChromaSiting::unspecified;
    // PNM samples run from 0 to maxval; framepipe rescales them to full range when maxval is
    // neither 255 nor 65535 (pnm.h). 0 for the other formats.
    std::uint32_t maxval = 0;
    // The raster bytes of one frame, a fixed number for Y4M and PNM; 0 for PNG, whose frames are
    // compressed and differ in length.
    std::uint64_t payload_bytes = 0;
    bool operator==(const StreamDescription&) const = default;
};

// "1280x720 rgb24" (PNM adds ", maxval 1023"): how messages name a frame's size and format.
std::string describe_frame(const StreamDescription& d);

// What the bytes consumed by one feed() were. A step never mixes framing and frame data, so a
// caller forwards or drops `consumed` bytes as a whole.
struct ParseStep {
    std::size_t consumed = 0;
    bool payload = false;        // frame data for ffmpeg; otherwise framing to drop
    bool frame_started = false;  // a frame's header is complete: frame() describes it
    bool frame_complete = false; // these bytes end the frame
};

class FrameStreamParser {
  public:
    virtual ~FrameStreamParser() = default;

    // Consumes a prefix of `bytes` (all of them when nothing ends inside), and says what it was.
    // Throws Error(input) naming the frame number and byte offset when the stream is corrupt or
    // a frame differs from the first in size or format.
    ParseStep feed(std::span<const std::uint8_t> bytes);
    // At the end of the input: throws Error(input) when it ended inside a frame, saying how many
    // of its bytes arrived. The whole frames before it stand.
    void finish() const;

    // Frame data that may be moved without being fed (e.g. spliced), because its length is
    // known and nothing in it needs checking: the rest of a Y4M or PNM raster, 0 for PNG.
    std::uint64_t payload_left() const { return payload_left_; }
    // Accounts for `n` (at most payload_left()) bytes moved without feed(), as feed() would.
    ParseStep skip_payload(std::uint64_t n);

    // The first frame's description, once its header has been read.
    const std::optional<StreamDescription>& stream() const { return first_; }
    // The frame in progress (or the last one), once its header has been read.
    const std::optional<StreamDescription>& frame() const { return current_; }
    std::uint64_t frames_complete() const { return frames_complete_; }
    std::uint64_t offset() const { return offset_; } // bytes consumed so far

  protected:
    // One step of the format's own parsing; the base keeps the counts.
    virtual ParseStep parse(std::span<const std::uint8_t> bytes) = 0;
    // True while a frame has started (any byte of it arrived) but not ended.
    virtual bool inside_frame() const = 0;
    // The format's words for what is missing when the input ends inside a frame.
    virtual std::string truncation_detail() const = 0;

    // "frame N at byte X: what": the 1-based number of the frame in progress.
    [[noreturn]] void fail(std::uint64_t at, const std::string& what) const;
    // Records a frame's header; refuses a frame unlike the first, naming both.
    void start_frame(const StreamDescription& d, std::uint64_t header_offset);
    void set_payload_left(std::uint64_t n) { payload_left_ = n; }
    std::uint64_t frame_start_offset() const { return frame_start_; }
    void mark_frame_start(std::uint64_t at) { frame_start_ = at; }

  private:
    std::optional<StreamDescription> first_;
    std::optional<StreamDescription> current_;
    std::uint64_t frames_complete_ = 0;
    std::uint64_t offset_ = 0;
    std::uint64_t frame_start_ = 0;
    std::uint64_t payload_left_ = 0;
};

// A parser for header-then-raster formats (Y4M, PNM): the format reads a frame's header, the
// base then counts off the fixed-size raster that follows.
class RasterStreamParser : public FrameStreamParser {
  protected:
    struct HeaderProgress {
        std::size_t consumed = 0;
        std::optional<StreamDescription> frame; // set when the header is complete
    };
    // Reads header bytes of the next frame (the first byte is `offset()`).
    virtual HeaderProgress read_header(std::span<const std::uint8_t> bytes) = 0;
    // True once any byte of the next frame's header has been read.
    virtual bool header_started() const = 0;

    ParseStep parse(std::span<const std::uint8_t> bytes) final;
    bool inside_frame() const final { return header_started() || payload_left() != 0; }
    std::string truncation_detail() const final;
};

} // namespace framepipe
