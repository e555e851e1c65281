#include "streams/stream_feeder.h"

#include "error.h"
#include "streams/detect.h"
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
    : input_(input_fd), format_(format), chunk_(chunk_bytes), parser_(make_stream_parser(format)),
      in_(std::move(start)) {}

Feeder::Wants StreamFeeder::wants(bool output_writable) const {
    return {output_writable, !output_writable, -1};
}

bool StreamFeeder::rescales() const {
    const auto& s = parser_->stream();
    return s && s->format == StreamFormat::pnm && s->maxval != 255 && s->maxval != 65535;
}

Feeder::Result StreamFeeder::transfer(int output_fd, Ready ready) {
    if (committed_ > out_begin_)
        if (Result r = flush(output_fd); r != Result::moved)
            return r;
    if (failed_ || ended_)
        return conclude_input();
    if (!input_buffered()) {
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
    if (committed_ > out_begin_)
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
    const std::size_t want = splice_ok_ && parser_->stream() && !holds_whole_frames()
                                 ? std::min(chunk_, kHeaderRead)
                                 : chunk_;
    in_.resize(want);
    in_begin_ = 0;
    const ssize_t n = ::read(input_, in_.data(), want);
    if (n < 0) {
        in_.clear();
        if (errno == EAGAIN || errno == EINTR)
            return Result::input_empty;
        error_ = std::strerror(errno);
        return Result::input_failed;
    }
    in_.resize(static_cast<std::size_t>(n));
    if (n == 0)
        ended_ = true;
    parse_input();
    return Result::moved;
}

void StreamFeeder::parse_input() {
    try {
        while (input_buffered()) {
            const std::span<const std::uint8_t> rest =
                std::span<const std::uint8_t>(in_).subspan(in_begin_);
            const ParseStep step = parser_->feed(rest);
            if (step.payload)
                take_payload(rest.first(step.consumed));
            in_begin_ += step.consumed;
            if (step.frame_complete)
                end_frame();
            if (step.consumed == 0)
                break;
        }
    } catch (const Error& e) {
        failed_ = true;
        error_ = e.what();
        in_.clear();
        in_begin_ = 0;
    }
}

void StreamFeeder::take_payload(std::span<const std::uint8_t> bytes) {
    if (out_begin_ == out_.size() && committed_ == out_.size()) {
        out_.clear();
        out_begin_ = committed_ = 0;
    }
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    if (holds_whole_frames())
        return;
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
    frame_ends_.push_back({committed_, parser_->offset()});
}

Feeder::Result StreamFeeder::flush(int output_fd) {
    while (committed_ > out_begin_) {
        std::size_t n = 0;
        if (const auto r = write_to_ffmpeg(output_fd, out_.data() + out_begin_,
                                           committed_ - out_begin_, n, error_);
            r != Result::moved)
            return r;
        out_begin_ += n;
        while (!frame_ends_.empty() && frame_ends_.front().out_end <= out_begin_) {
            ++frames_done_;
            bytes_done_ = frame_ends_.front().input_offset;
            frame_ends_.pop_front();
        }
    }
    // Everything written: start the buffer over, keeping a frame held back.
    out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(committed_));
    for (auto& f : frame_ends_)
        f.out_end -= committed_;
    out_begin_ = committed_ = 0;
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

} // namespace framepipe
