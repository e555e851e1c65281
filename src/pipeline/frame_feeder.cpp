#include "pipeline/frame_feeder.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace framepipe {

namespace {

std::uint32_t alignment(const std::vector<std::unique_ptr<FrameTransform>>& chain) {
    std::uint32_t a = 1;
    for (const auto& t : chain)
        a = std::max(a, t->row_alignment());
    return a;
}

} // namespace

FrameFeeder::FrameFeeder(int input_fd, std::vector<std::unique_ptr<FrameTransform>> chain,
                         FrameFeederConfig config)
    : input_(input_fd), chain_(std::move(chain)) {
    // Two bands a thread: one thread slowed down (ffmpeg runs beside them) holds up less.
    const std::uint32_t units =
        std::max<std::uint32_t>(chain_.front()->rows() / alignment(chain_), 1);
    bands_ = std::clamp<std::uint32_t>(2 * std::max(config.threads, 1u), 1, units);
    std::uint64_t per_slot = chain_.front()->input_bytes();
    for (const auto& t : chain_)
        per_slot += t->output_bytes();
    const auto fit = static_cast<unsigned>(std::min<std::uint64_t>(
        config.memory_budget / std::max<std::uint64_t>(per_slot, 1), config.max_slots));
    const unsigned count = std::max(fit, config.min_slots);
    for (unsigned i = 0; i < count; ++i) {
        auto s = std::make_unique<Slot>();
        s->buffers.emplace_back(chain_.front()->input_bytes());
        for (const auto& t : chain_)
            s->buffers.emplace_back(t->output_bytes());
        slots_.push_back(std::move(s));
    }
    pool_ = std::make_unique<WorkerPool>(config.threads);
}

FrameFeeder::~FrameFeeder() {
    pool_.reset();
}

bool FrameFeeder::can_fill() const {
    return !input_ended_ && fill_seq_ - write_seq_ < slots_.size() &&
           slot(fill_seq_).reusable_at <= output_total_;
}

bool FrameFeeder::finished() const {
    return input_ended_ && write_seq_ == fill_seq_;
}

std::uint64_t FrameFeeder::bytes_delivered() const {
    return frames_written_ * chain_.front()->input_bytes() + partial_bytes_;
}

Feeder::Wants FrameFeeder::wants(bool output_writable) const {
    Wants w;
    w.input = can_fill() && held_.empty();
    const bool head_submitted = write_seq_ < fill_seq_;
    w.output = head_submitted && !output_writable && slot(write_seq_).done.load();
    if (head_submitted)
        w.wake_fd = wake_.fd();
    return w;
}

// One read a call: after poll said readable, one read() cannot block even on a blocking pipe.
void FrameFeeder::read_input() {
    Slot& s = slot(fill_seq_);
    auto& in = s.buffers.front();
    const ssize_t n = ::read(input_, in.data() + s.filled, in.size() - s.filled);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        error_ = std::strerror(errno);
    }
    if (n <= 0) {
        // An incomplete last frame is counted, never converted: ffmpeg would drop it too.
        input_ended_ = true;
        partial_bytes_ = s.filled;
        s.filled = 0;
        return;
    }
    s.filled += static_cast<std::uint64_t>(n);
    if (s.filled == in.size())
        submit(s);
}

void FrameFeeder::take_held() {
    Slot& s = slot(fill_seq_);
    auto& in = s.buffers.front();
    std::copy(held_.front().begin(), held_.front().end(), in.data());
    held_.pop_front();
    submit(s);
}

void FrameFeeder::submit(Slot& s) {
    s.filled = 0;
    s.written = 0;
    s.done.store(false);
    s.bands_left.store(bands_);
    ++fill_seq_;
    const std::uint32_t rows = chain_.front()->rows(), align = alignment(chain_);
    const std::uint32_t units = (rows + align - 1) / align;
    for (std::uint32_t b = 0; b < bands_; ++b) {
        const std::uint32_t begin = units * b / bands_ * align;
        const std::uint32_t end = std::min(rows, units * (b + 1) / bands_ * align);
        pool_->submit([this, &s, begin, end] { run_band(s, begin, end); });
    }
}

void FrameFeeder::run_band(Slot& s, std::uint32_t begin, std::uint32_t end) {
    for (std::size_t i = 0; i < chain_.size(); ++i)
        chain_[i]->run(s.buffers[i].data(), s.buffers[i + 1].data(), begin, end);
    if (s.bands_left.fetch_sub(1) == 1) {
        s.done.store(true);
        wake_.notify();
    }
}

// Lending ffmpeg the output pages saves a copy a frame, but a slot's output buffer can then be
// rewritten only after a pipe's worth of later bytes: that must come from the other slots'
// frames, or the feeder would wait for itself.
void FrameFeeder::decide_lending(int output_fd) {
    const auto capacity = pipe_capacity(output_fd);
    const std::uint64_t others = (slots_.size() - 1) * slots_.front()->buffers.back().size();
    lending_ = capacity && others >= *capacity ? Lending::yes : Lending::no;
    pipe_capacity_ = capacity.value_or(0);
}

Feeder::Result FrameFeeder::give(int output_fd, Slot& s, std::size_t& n) {
    const auto& out = s.buffers.back();
    if (lending_ == Lending::yes) {
        if (auto r = lend_to_ffmpeg(output_fd, out.data() + s.written, out.size() - s.written, n,
                                    error_))
            return *r;
        lending_ = Lending::no; // not a pipe that takes pages: copy from now on
    }
    return write_to_ffmpeg(output_fd, out.data() + s.written, out.size() - s.written, n, error_);
}

// Writes finished frames in order until ffmpeg's pipe is full or the next frame is not ready.
Feeder::Result FrameFeeder::write_output(int output_fd) {
    if (lending_ == Lending::undecided)
        decide_lending(output_fd);
    Result result = Result::input_empty;
    while (write_seq_ < fill_seq_ && slot(write_seq_).done.load()) {
        Slot& s = slot(write_seq_);
        const auto& out = s.buffers.back();
        std::size_t n = 0;
        if (const auto r = give(output_fd, s, n); r != Result::moved)
            return r;
        s.written += n;
        output_total_ += n;
        if (s.written == out.size()) {
            s.reusable_at = lending_ == Lending::yes ? output_total_ + pipe_capacity_ : 0;
            s.done.store(false);
            ++write_seq_;
            ++frames_written_;
            result = Result::moved;
        }
    }
    return result;
}

Feeder::Result FrameFeeder::transfer(int output_fd, Ready ready) {
    if (ready.woken)
        wake_.drain();
    const Result wrote = write_output(output_fd);
    if (wrote == Result::output_closed)
        return wrote;
    // Held frames need no poll: each one taken is work whose end wakes the loop again.
    while (!held_.empty() && can_fill())
        take_held();
    if (ready.input && can_fill() && held_.empty())
        read_input();
    if (finished())
        return error_.empty() ? Result::input_ended : Result::input_failed;
    return wrote;
}

} // namespace framepipe
