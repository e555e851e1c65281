#include "streams/frame_stream.h"

#include "error.h"

#include <algorithm>

namespace framepipe {

std::string_view to_string(StreamFormat f) {
    switch (f) {
    case StreamFormat::y4m:
        return "YUV4MPEG2";
    case StreamFormat::pnm:
        return "PNM";
    case StreamFormat::png:
        return "PNG";
    }
    return "?";
}

std::string describe_frame(const StreamDescription& d) {
    std::string out = to_string(d.size) + " " + d.pix_fmt;
    if (d.format == StreamFormat::pnm && d.maxval != 255 && d.maxval != 65535)
        out += ", maxval " + std::to_string(d.maxval);
    return out;
}

ParseStep FrameStreamParser::feed(std::span<const std::uint8_t> bytes) {
    if (bytes.empty())
        return {};
    ParseStep step = parse(bytes);
    offset_ += step.consumed;
    if (step.frame_complete)
        ++frames_complete_;
    return step;
}

ParseStep FrameStreamParser::skip_payload(std::uint64_t n) {
    if (n > payload_left_)
        throw Error(ExitCode::internal, "skipped " + std::to_string(n) +
                                            " bytes of frame data, but only " +
                                            std::to_string(payload_left_) + " were left");
    payload_left_ -= n;
    offset_ += n;
    ParseStep step{static_cast<std::size_t>(n), true, false, n != 0 && payload_left_ == 0};
    if (step.frame_complete)
        ++frames_complete_;
    return step;
}

void FrameStreamParser::finish() const {
    if (!inside_frame())
        return;
    throw Error(ExitCode::input, "the input ended inside frame " +
                                     std::to_string(frames_complete_ + 1) +
                                     ", which starts at byte " + std::to_string(frame_start_) +
                                     ": " + truncation_detail());
}

void FrameStreamParser::fail(std::uint64_t at, const std::string& what) const {
    throw Error(ExitCode::input, "frame " + std::to_string(frames_complete_ + 1) + " at byte " +
                                     std::to_string(at) + ": " + what);
}

void FrameStreamParser::start_frame(const StreamDescription& d, std::uint64_t header_offset) {
    if (first_ &&
        (d.size != first_->size || d.pix_fmt != first_->pix_fmt || d.maxval != first_->maxval))
        fail(header_offset, "it is " + describe_frame(d) + ", but frame 1 was " +
                                describe_frame(*first_) +
                                "; every frame must have the first frame's size and format "
                                "(framepipe never scales frames)");
    if (!first_)
        first_ = d;
    current_ = d;
}

ParseStep RasterStreamParser::parse(std::span<const std::uint8_t> bytes) {
    if (payload_left() > 0) {
        auto n = static_cast<std::size_t>(std::min<std::uint64_t>(payload_left(), bytes.size()));
        set_payload_left(payload_left() - n);
        return {n, true, false, payload_left() == 0};
    }
    if (!header_started())
        mark_frame_start(offset());
    HeaderProgress h = read_header(bytes);
    ParseStep step{h.consumed, false, false, false};
    if (h.frame) {
        start_frame(*h.frame, frame_start_offset());
        set_payload_left(h.frame->payload_bytes);
        step.frame_started = true;
    }
    return step;
}

std::string RasterStreamParser::truncation_detail() const {
    if (payload_left() == 0 || !frame())
        return "its header is incomplete";
    const std::uint64_t total = frame()->payload_bytes;
    return "only " + std::to_string(total - payload_left()) + " of its " + std::to_string(total) +
           " bytes of pixels arrived";
}

} // namespace framepipe
