// The Feeder for PNG streams: framepipe walks each image's chunks (png.h) as it reads them; a
// worker thread then decodes the whole image (png_decode.h) and runs the frame transforms (its
// colour conversion), one image a task, several images at once; the frames are written to ffmpeg
// in input order. So
// ffmpeg reads rawvideo exactly as for raw input, and the decoding, which ffmpeg's png_pipe does
// on one thread ahead of its single-threaded conversion, runs beside the encoder.
//
// A corrupt image (a bad chunk, or image data that does not decode) or a truncated last one ends
// the input with input_failed and a message naming the frame and its byte offset, after every
// frame before it was delivered.
#pragma once

#include "frame_geometry.h"
#include "pipeline/byte_queue.h"
#include "pipeline/feeder.h"
#include "pipeline/frame_buffer.h"
#include "pipeline/frame_feeder.h"
#include "pipeline/frame_transform.h"
#include "pipeline/wake_signal.h"
#include "pipeline/worker_pool.h"
#include "pixel_format.h"
#include "streams/frame_stream.h"

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

class PngDecodeFeeder : public Feeder {
  public:
    // `start`: the bytes already read from input_fd (to read the first header), fed first.
    // `decoded`: the format every image is decoded into, at `size`; `chain` (may be empty) then
    // turns it into what ffmpeg is given. `config` gives the threads, and the memory budget for
    // slots: one per thread and two more, at least min_slots; never more threads than slots.
    PngDecodeFeeder(int input_fd, std::vector<std::uint8_t> start, const PixelFormat& decoded,
                    FrameSize size, std::vector<std::unique_ptr<FrameTransform>> chain,
                    const FrameFeederConfig& config, std::size_t chunk_bytes = 1 << 20);
    ~PngDecodeFeeder() override;

    Wants wants(bool output_writable) const override;
    Result transfer(int output_fd, Ready ready) override;
    // The input bytes up to the end of the last frame delivered.
    std::uint64_t bytes_delivered() const override { return bytes_done_; }
    std::optional<std::uint64_t> frames_counted() const override { return frames_done_; }
    const std::string& error() const override { return error_; }

    unsigned slots() const { return static_cast<unsigned>(slots_.size()); }

  private:
    struct Slot {
        std::vector<std::uint8_t> image; // the PNG file, as read
        FrameBuffer output;       // what ffmpeg is given: the decoded frame, or the chain's output
        std::uint64_t number = 0; // 1-based, for messages
        std::uint64_t input_begin = 0, input_end = 0;
        std::size_t written = 0;
        std::string error;          // set by the worker when the image does not decode
        std::exception_ptr failure; // what else the worker could not do, rethrown by transfer()
        std::atomic<bool> done{false};
    };

    Slot& slot(std::uint64_t seq) { return *slots_[seq % slots_.size()]; }
    const Slot& slot(std::uint64_t seq) const { return *slots_[seq % slots_.size()]; }
    bool slot_free() const { return fill_seq_ - write_seq_ < slots_.size(); }
    bool reading() const { return !ended_ && !image_ready_ && parse_error_.empty() && !stopped_; }
    void read_input();
    void parse_input();
    void dispatch();
    void work(Slot& s);
    Result write_output(int output_fd);
    std::optional<Result> conclude();

    int input_;
    const PixelFormat& decoded_;
    std::uint64_t decoded_bytes_ = 0;
    std::vector<std::unique_ptr<FrameTransform>> chain_;
    std::size_t chunk_;
    std::unique_ptr<FrameStreamParser> parser_;
    // Read bytes: in_[0, parsed_) is the image being walked, a whole one when image_ready_.
    ByteQueue in_;
    std::size_t parsed_ = 0;
    bool image_ready_ = false;
    std::uint64_t image_begin_ = 0; // the input offset of in_'s first byte
    WakeSignal wake_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::uint64_t fill_seq_ = 0;  // images dispatched
    std::uint64_t write_seq_ = 0; // the next frame to write
    std::uint64_t frames_done_ = 0;
    std::uint64_t bytes_done_ = 0;
    bool ended_ = false;   // EOF read
    bool stopped_ = false; // a frame failed to decode: nothing after it is written
    std::string parse_error_;
    std::string error_;
    // Last: destroyed first, so no task is still running when the slots go.
    std::unique_ptr<WorkerPool> pool_;
};

} // namespace framepipe
