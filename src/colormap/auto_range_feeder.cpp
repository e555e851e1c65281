#include "colormap/auto_range_feeder.h"

#include <cerrno>
#include <cstring>
#include <span>
#include <unistd.h>

namespace framepipe {

AutoRangeFeeder::AutoRangeFeeder(int input_fd, ScalarFormat format, std::uint64_t frame_bytes,
                                 unsigned frames, ValueRange fallback, Start start)
    : input_(input_fd), frame_bytes_(frame_bytes), fallback_(fallback), start_(std::move(start)),
      tracker_(format, frames), filling_(frame_bytes) {}

Feeder::Wants AutoRangeFeeder::wants(bool output_writable) const {
    if (colouring_)
        return colouring_->wants(output_writable);
    Wants w;
    w.input = true;
    return w;
}

std::uint64_t AutoRangeFeeder::bytes_delivered() const {
    return (colouring_ ? colouring_->bytes_delivered() : 0) + partial_bytes_;
}

const std::string& AutoRangeFeeder::error() const {
    return error_.empty() && colouring_ ? colouring_->error() : error_;
}

// One read a call, as FrameFeeder does: poll said readable, so it cannot block.
Feeder::Result AutoRangeFeeder::hold_input() {
    const ssize_t n = ::read(input_, filling_.data() + filled_, frame_bytes_ - filled_);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return Result::input_empty;
    if (n <= 0) {
        if (n < 0)
            error_ = std::strerror(errno);
        ended_ = true;
        partial_bytes_ = filled_;
        return Result::moved;
    }
    filled_ += static_cast<std::uint64_t>(n);
    if (filled_ == frame_bytes_) {
        tracker_.add(std::as_bytes(std::span(filling_)));
        tracker_.end_frame();
        held_.push_back(std::move(filling_));
        filling_.assign(frame_bytes_, 0);
        filled_ = 0;
    }
    return Result::moved;
}

Feeder::Result AutoRangeFeeder::start_colouring(int output_fd) {
    const auto measured = tracker_.range();
    const Found found{measured.value_or(fallback_), tracker_.frames_seen(), !measured};
    const ValueRange range = found.range;
    if (auto problem = range_problem(range); !problem.empty()) {
        const unsigned n = tracker_.frames_seen();
        error_ = "cannot colour with the range " + range_text(range) + " of the first " +
                 (n == 1 ? std::string("frame") : std::to_string(n) + " frames") + ": " + problem +
                 "; give --range LO:HI";
        return Result::input_failed;
    }
    filling_ = {};
    colouring_ = start_(found);
    colouring_->hold(std::move(held_));
    // An input that already ended is read again by the colouring feeder, which then sees the end
    // itself once the held frames are through.
    return colouring_->transfer(output_fd, Ready{});
}

Feeder::Result AutoRangeFeeder::transfer(int output_fd, Ready ready) {
    if (colouring_) {
        const Result r = colouring_->transfer(output_fd, ready);
        return r == Result::input_ended && !error_.empty() ? Result::input_failed : r;
    }
    if (!ready.input)
        return Result::input_empty;
    const Result r = hold_input();
    if (!tracker_.complete() && !ended_)
        return r;
    return start_colouring(output_fd);
}

} // namespace framepipe
