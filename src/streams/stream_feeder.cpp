#include "streams/stream_feeder.h"

#include "convert/yuv_transform.h"
#include "error.h"
#include "streams/detect.h"
#include "streams/png_decode_feeder.h"
#include "streams/pnm.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace framepipe {

namespace {

constexpr std::size_t kHeaderRead = 4096;

} // namespace

StreamFeeder::StreamFeeder(int input_fd, StreamFormat format, std::vector<std::uint8_t> start,
                           std::size_t chunk_bytes)
    : input_(input_fd), chunk_(chunk_bytes), parser_(make_stream_parser(format)),
      // Rasters are spliced: only headers are read, in small reads.
      in_(2 * std::max(std::min(chunk_bytes, kHeaderRead), start.size())) {
    if (format == StreamFormat::png)
        throw Error(ExitCode::internal, "PNG streams are decoded by a PngDecodeFeeder");
    in_.append(start);
}

Feeder::Wants StreamFeeder::wants(bool output_writable) const {
    return {output_writable, !output_writable, -1};
}

bool StreamFeeder::rescales() const {
    const auto& s = parser_->stream();
    return s && s->format == StreamFormat::pnm && s->maxval != 255 && s->maxval != 65535;
}

Feeder::Result StreamFeeder::transfer(int output_fd, Ready ready) {
    if (!ready_output().empty())
        if (Result r = flush(output_fd); r != Result::moved)
            return r;
    if (failed_ || ended_)
        return conclude_input();
    if (!unparsed()) {
        // Without input ready a read could block.
        if (!ready.input)
            return Result::input_empty;
        if (splice_ok_ && out_begin_ == out_.size() && parser_->payload_left() > 0 && !rescales())
            return splice_payload(output_fd);
        if (Result r = read_and_parse(); r != Result::moved)
            return r;
    } else {
        parse_input();
    }
    if (!ready_output().empty())
        if (Result r = flush(output_fd); r != Result::moved)
            return r;
    return failed_ || ended_ ? conclude_input() : Result::moved;
}

Feeder::Result StreamFeeder::splice_payload(int output_fd) {
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(parser_->payload_left(), chunk_));
    const ssize_t n =
        ::splice(input_, nullptr, output_fd, nullptr, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
        written_ += static_cast<std::uint64_t>(n);
        if (parser_->skip_payload(static_cast<std::uint64_t>(n)).frame_complete) {
            ++frames_done_;
            bytes_done_ = parser_->offset();
        }
        return Result::moved;
    }
    if (n == 0) {
        ended_ = true;
        return conclude_input();
    }
    if (auto r = splice_failure(errno, error_))
        return *r;
    splice_ok_ = false; // not spliceable: copy instead
    return read_and_parse();
}

Feeder::Result StreamFeeder::read_and_parse() {
    // Between a Y4M or PNM frame's pixels only its header needs reading: a small read leaves the
    // next raster in the pipe for splice, where a large one would copy most of it.
    const std::size_t want =
        splice_ok_ && parser_->stream() ? std::min(chunk_, kHeaderRead) : chunk_;
    const ssize_t n = ::read(input_, in_.room(want).data(), want);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return Result::input_empty;
        error_ = std::strerror(errno);
        return Result::input_failed;
    }
    in_.appended(static_cast<std::size_t>(n));
    if (n == 0)
        ended_ = true;
    parse_input();
    return Result::moved;
}

void StreamFeeder::parse_input() {
    try {
        while (unparsed()) {
            const std::span<const std::uint8_t> rest = in_.live().subspan(parsed_);
            const ParseStep step = parser_->feed(rest);
            if (step.payload)
                take_payload(rest.first(step.consumed));
            parsed_ += step.consumed;
            if (step.frame_complete)
                end_frame();
            if (step.consumed == 0)
                break;
        }
    } catch (const Error& e) {
        failed_ = true;
        error_ = e.what();
        parsed_ = in_.size(); // what follows a corrupt frame is never parsed, nor written
    }
    in_.drop_front(parsed_);
    parsed_ = 0;
}

void StreamFeeder::take_payload(std::span<const std::uint8_t> bytes) {
    if (out_begin_ == out_.size() && committed_ == out_.size()) {
        out_.clear();
        out_begin_ = committed_ = 0;
    }
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    std::size_t ready = out_.size();
    if (rescales()) {
        // Two-byte samples may be split between reads: rescale whole ones only.
        const std::size_t sample = parser_->stream()->maxval > 255 ? 2 : 1;
        ready = committed_ + (out_.size() - committed_) / sample * sample;
        rescale_pnm_samples(std::span<std::uint8_t>(out_).subspan(committed_, ready - committed_),
                            parser_->stream()->maxval);
    }
    committed_ = ready;
}

void StreamFeeder::end_frame() {
    committed_ = out_.size();
    frame_ends_.push_back({written_ + (committed_ - out_begin_), parser_->offset()});
}

std::span<const std::uint8_t> StreamFeeder::ready_output() {
    return std::span<const std::uint8_t>(out_).subspan(out_begin_, committed_ - out_begin_);
}

void StreamFeeder::output_written(std::size_t n) {
    written_ += n;
    if ((out_begin_ += n) == committed_) {
        // Everything ready was written: start over, keeping samples not yet rescaled.
        out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(committed_));
        out_begin_ = committed_ = 0;
    }
    while (!frame_ends_.empty() && frame_ends_.front().written_end <= written_) {
        ++frames_done_;
        bytes_done_ = frame_ends_.front().input_offset;
        frame_ends_.pop_front();
    }
}

Feeder::Result StreamFeeder::flush(int output_fd) {
    for (auto ready = ready_output(); !ready.empty(); ready = ready_output()) {
        std::size_t n = 0;
        if (const auto r = write_to_ffmpeg(output_fd, ready.data(), ready.size(), n, error_);
            r != Result::moved)
            return r;
        output_written(n);
    }
    return Result::moved;
}

Feeder::Result StreamFeeder::conclude_input() {
    if (!failed_) {
        try {
            parser_->finish();
        } catch (const Error& e) {
            failed_ = true;
            error_ = e.what();
        }
    }
    return failed_ ? Result::input_failed : Result::input_ended;
}

std::unique_ptr<Feeder> make_stream_feeder(int input_fd, StreamStart start,
                                           const std::optional<convert::YuvFormat>& yuv,
                                           const FrameFeederConfig& config) {
    const StreamDescription& first = start.first;
    if (first.format != StreamFormat::png)
        return std::make_unique<StreamFeeder>(input_fd, first.format, std::move(start.bytes));
    std::vector<std::unique_ptr<FrameTransform>> chain;
    if (yuv)
        chain.push_back(std::make_unique<convert::YuvTransform>(*yuv));
    return std::make_unique<PngDecodeFeeder>(input_fd, std::move(start.bytes),
                                             parse_pixel_format(first.pix_fmt), first.size,
                                             std::move(chain), config);
}

} // namespace framepipe
