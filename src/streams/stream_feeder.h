// The Feeder for YUV4MPEG2 and PNM streams: a parser finds every frame's boundaries. Headers are
// dropped and raster bytes relayed (spliced when nothing is buffered), so ffmpeg reads plain
// rawvideo; PNM samples of an odd maxval are rescaled on the way. A corrupt or truncated frame
// ends the input with input_failed and the parser's message, after the frames before it were
// delivered. PNG streams are decoded instead (png_decode_feeder.h).
#pragma once

#include "convert/yuv_convert.h"
#include "pipeline/byte_queue.h"
#include "pipeline/feeder.h"
#include "pipeline/frame_feeder.h"
#include "streams/frame_stream.h"
#include "streams/stream_start.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace framepipe {

class StreamFeeder : public Feeder {
  public:
    // `start`: the bytes already read from input_fd (to detect the format), fed first. `format`
    // is y4m or pnm.
    StreamFeeder(int input_fd, StreamFormat format, std::vector<std::uint8_t> start,
                 std::size_t chunk_bytes = 1 << 20);

    Wants wants(bool output_writable) const override;
    Result transfer(int output_fd, Ready ready) override;
    // The input bytes up to the end of the last frame delivered.
    std::uint64_t bytes_delivered() const override { return bytes_done_; }
    std::optional<std::uint64_t> frames_counted() const override { return frames_done_; }
    const std::string& error() const override { return error_; }

  private:
    Result read_and_parse();
    Result splice_payload(int output_fd);
    void parse_input();
    void take_payload(std::span<const std::uint8_t> bytes);
    void end_frame();
    Result flush(int output_fd);
    // What may be written to ffmpeg now, and the bookkeeping once `n` bytes of it were.
    std::span<const std::uint8_t> ready_output();
    void output_written(std::size_t n);
    Result conclude_input();
    bool unparsed() const { return parsed_ < in_.size(); }
    bool rescales() const;

    int input_;
    std::size_t chunk_;
    std::unique_ptr<FrameStreamParser> parser_;
    // What was read, until parsed (frame data is then copied to out_): in_[0, parsed_) has been
    // parsed.
    ByteQueue in_;
    std::size_t parsed_ = 0;
    // Frame data for ffmpeg: [out_begin_, committed_) may be written; past
    // committed_ are samples not yet rescaled.
    std::vector<std::uint8_t> out_;
    std::size_t out_begin_ = 0;
    std::size_t committed_ = 0;
    std::uint64_t written_ = 0; // bytes written to ffmpeg so far
    struct FrameEnd {
        std::uint64_t written_end; // where the frame ends, counted as written_ is
        std::uint64_t input_offset;
    };
    std::deque<FrameEnd> frame_ends_; // frames not yet written to their end
    std::uint64_t frames_done_ = 0;
    std::uint64_t bytes_done_ = 0;
    bool splice_ok_ = true;
    bool ended_ = false;
    bool failed_ = false;
    std::string error_;
};

// The feeder for a stream whose first header `start` holds: PNG images are decoded by framepipe
// into `decoded`'s raw frames and converted (when `yuv` is set) on `config`'s threads
// (png_decode_feeder.h); YUV4MPEG2 and PNM rasters are relayed by a StreamFeeder.
std::unique_ptr<Feeder> make_stream_feeder(int input_fd, StreamStart start,
                                           const std::optional<convert::YuvFormat>& yuv,
                                           const FrameFeederConfig& config);

} // namespace framepipe
