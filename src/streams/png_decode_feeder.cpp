#include "streams/png_decode_feeder.h"

#include "error.h"
#include "streams/detect.h"
#include "streams/png_decode.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace framepipe {

PngDecodeFeeder::PngDecodeFeeder(int input_fd, std::vector<std::uint8_t> start,
                                 const PixelFormat& decoded, FrameSize size,
                                 std::vector<std::unique_ptr<FrameTransform>> chain,
                                 const FrameFeederConfig& config, std::size_t chunk_bytes)
    : input_(input_fd), decoded_(decoded), chain_(std::move(chain)), chunk_(chunk_bytes),
      parser_(make_stream_parser(StreamFormat::png)), in_(2 * std::max(chunk_bytes, start.size())) {
    in_.append(start);
    decoded_bytes_ = frame_bytes(size, decoded);
    // A slot keeps only what ffmpeg is given; the decoded frame and any intermediate live in
    // each worker's own buffers (work()), since they are done with when the task ends.
    const std::uint64_t per_slot = chain_.empty() ? decoded_bytes_ : chain_.back()->output_bytes();
    // A slot for every thread's image, one being written and one waiting, as the memory budget
    // allows; no more threads than slots, since each thread keeps a decoded frame of its own.
    const unsigned threads = std::max(config.threads, 1u);
    const auto fit = static_cast<unsigned>(std::min<std::uint64_t>(
        config.memory_budget / std::max<std::uint64_t>(per_slot, 1), threads + 2));
    const unsigned count = std::max({fit, config.min_slots, 2u});
    for (unsigned i = 0; i < count; ++i) {
        auto s = std::make_unique<Slot>();
        s->output = FrameBuffer(per_slot);
        slots_.push_back(std::move(s));
    }
    pool_ = std::make_unique<WorkerPool>(std::min(threads, count));
    // The bytes read for the first header may hold whole images, or a damaged one: they need no
    // poll of the input to be dispatched or to end it.
    parse_input();
    dispatch();
    if (!parse_error_.empty())
        wake_.notify();
}

PngDecodeFeeder::~PngDecodeFeeder() {
    pool_.reset();
}

Feeder::Wants PngDecodeFeeder::wants(bool output_writable) const {
    Wants w;
    w.input = reading();
    const bool in_flight = write_seq_ < fill_seq_;
    w.output = in_flight && !output_writable && slot(write_seq_).done.load();
    // A walk that failed with nothing in flight has woken the descriptor itself.
    if (in_flight || !parse_error_.empty())
        w.wake_fd = wake_.fd();
    return w;
}

// One read a call: after poll said readable, one read() cannot block even on a blocking pipe.
void PngDecodeFeeder::read_input() {
    const ssize_t n = ::read(input_, in_.room(chunk_).data(), chunk_);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        // Like a corrupt image: the frames before it still go to ffmpeg.
        parse_error_ = std::strerror(errno);
        return;
    }
    if (n == 0) {
        ended_ = true;
        return;
    }
    in_.appended(static_cast<std::size_t>(n));
    parse_input();
}

// Walks the read bytes up to the end of the next image, which then waits for a slot.
void PngDecodeFeeder::parse_input() {
    try {
        while (!image_ready_ && parsed_ < in_.size()) {
            const ParseStep step = parser_->feed(in_.live().subspan(parsed_));
            parsed_ += step.consumed;
            image_ready_ = step.frame_complete;
            if (step.consumed == 0)
                break;
        }
    } catch (const Error& e) {
        parse_error_ = e.what(); // nothing after a corrupt image is read or decoded
    }
}

void PngDecodeFeeder::dispatch() {
    while (image_ready_ && slot_free() && !stopped_) {
        Slot& s = slot(fill_seq_);
        const auto image = in_.live().first(parsed_);
        s.image.assign(image.begin(), image.end());
        s.number = parser_->frames_complete();
        s.input_begin = image_begin_;
        s.input_end = image_begin_ + parsed_;
        s.written = 0;
        s.error.clear();
        s.failure = nullptr;
        s.done.store(false);
        image_begin_ += parsed_;
        in_.drop_front(parsed_);
        parsed_ = 0;
        image_ready_ = false;
        ++fill_seq_;
        pool_->submit([this, &s] { work(s); });
        parse_input();
    }
}

// On a worker thread: the slot is this task's alone until `done`.
void PngDecodeFeeder::work(Slot& s) {
    // The decoded frame and the chain's intermediates: one set a thread, kept between tasks.
    thread_local std::vector<FrameBuffer> scratch;
    try {
        std::vector<std::uint8_t*> stages;
        for (std::size_t i = 0; i < chain_.size(); ++i) {
            const std::uint64_t bytes = i == 0 ? decoded_bytes_ : chain_[i - 1]->output_bytes();
            if (scratch.size() <= i)
                scratch.emplace_back();
            if (scratch[i].size() != bytes)
                scratch[i] = FrameBuffer(bytes);
            stages.push_back(scratch[i].data());
        }
        stages.push_back(s.output.data());
        decode_png(s.image, decoded_, {stages.front(), decoded_bytes_});
        for (std::size_t i = 0; i < chain_.size(); ++i)
            chain_[i]->run(stages[i], stages[i + 1], 0, chain_[i]->rows());
    } catch (const Error& e) {
        if (e.code() != ExitCode::input)
            s.failure = std::current_exception();
        s.error = "frame " + std::to_string(s.number) + " at byte " +
                  std::to_string(s.input_begin) + ": " + e.what();
    } catch (...) {
        // Not the frame's fault (no memory, a bug): rethrown by the poll loop.
        s.failure = std::current_exception();
    }
    s.done.store(true);
    wake_.notify();
}

// Writes decoded frames in order until ffmpeg's pipe is full or the next frame is not ready. A
// frame that did not decode stops the writing there.
Feeder::Result PngDecodeFeeder::write_output(int output_fd) {
    Result result = Result::input_empty;
    while (!stopped_ && write_seq_ < fill_seq_ && slot(write_seq_).done.load()) {
        Slot& s = slot(write_seq_);
        if (s.failure)
            std::rethrow_exception(s.failure);
        if (!s.error.empty()) {
            stopped_ = true;
            error_ = s.error;
            break;
        }
        const auto& out = s.output;
        std::size_t n = 0;
        if (const auto r = write_to_ffmpeg(output_fd, out.data() + s.written,
                                           out.size() - s.written, n, error_);
            r != Result::moved)
            return r;
        s.written += n;
        result = Result::moved;
        if (s.written == out.size()) {
            s.done.store(false);
            ++write_seq_;
            ++frames_done_;
            bytes_done_ = s.input_end;
        }
    }
    return result;
}

// How the input ends, once every frame before the end was written: nothing while frames are
// still on their way.
std::optional<Feeder::Result> PngDecodeFeeder::conclude() {
    if (stopped_)
        return Result::input_failed;
    if (write_seq_ < fill_seq_ || image_ready_)
        return std::nullopt;
    if (!parse_error_.empty()) {
        error_ = parse_error_;
        return Result::input_failed;
    }
    if (!ended_ || parsed_ < in_.size())
        return std::nullopt;
    try {
        parser_->finish();
    } catch (const Error& e) {
        error_ = e.what();
        return Result::input_failed;
    }
    return Result::input_ended;
}

Feeder::Result PngDecodeFeeder::transfer(int output_fd, Ready ready) {
    if (ready.woken)
        wake_.drain();
    const Result wrote = write_output(output_fd);
    if (wrote == Result::output_closed)
        return wrote;
    dispatch();
    if (ready.input && reading()) {
        read_input();
        dispatch();
    }
    if (const auto end = conclude())
        return *end;
    return wrote;
}

} // namespace framepipe
