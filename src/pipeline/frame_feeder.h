// A Feeder that reads whole input frames, runs them through a chain of FrameTransforms on worker
// threads (each frame split into row bands), and writes the results to ffmpeg in input order.
// Reading, transforming and writing overlap: a few frames are in flight at once, each in its own
// slot, and that is all the memory it holds.
#pragma once

#include "pipeline/feeder.h"
#include "pipeline/frame_buffer.h"
#include "pipeline/frame_transform.h"
#include "pipeline/wake_signal.h"
#include "pipeline/worker_pool.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace framepipe {

struct FrameFeederConfig {
    unsigned threads = 1;
    // Slots (frames in flight) are as many as fit in this, but at least min_slots and at most
    // max_slots: three keep reading, transforming and writing busy at once.
    std::uint64_t memory_budget = 128ull << 20;
    unsigned min_slots = 3;
    unsigned max_slots = 4;
};

class FrameFeeder : public Feeder {
  public:
    // The chain must not be empty; each transform's output is the next one's input.
    FrameFeeder(int input_fd, std::vector<std::unique_ptr<FrameTransform>> chain,
                FrameFeederConfig config);
    ~FrameFeeder() override;

    Wants wants(bool output_writable) const override;
    Result transfer(int output_fd, Ready ready) override;
    std::uint64_t bytes_delivered() const override;
    const std::string& error() const override { return error_; }

    // Whole input frames already read by whoever had to see them first (--range auto): they go
    // through the chain, in order, before anything more is read from the input.
    void hold(std::deque<std::vector<std::uint8_t>> frames) { held_ = std::move(frames); }

    unsigned slots() const { return static_cast<unsigned>(slots_.size()); }
    unsigned threads() const { return pool_ ? pool_->size() : 0; }
    std::uint64_t frames_delivered() const { return frames_written_; }

  private:
    struct Slot {
        std::vector<FrameBuffer> buffers; // input, intermediates, output
        std::uint64_t filled = 0;
        std::uint64_t written = 0;
        // Lent pages: the output buffer may be rewritten once this many bytes have gone to ffmpeg.
        std::uint64_t reusable_at = 0;
        std::atomic<unsigned> bands_left{0};
        std::atomic<bool> done{false};
    };

    Slot& slot(std::uint64_t seq) { return *slots_[seq % slots_.size()]; }
    const Slot& slot(std::uint64_t seq) const { return *slots_[seq % slots_.size()]; }
    bool can_fill() const;
    bool finished() const;
    void read_input();
    void take_held();
    void submit(Slot& s);
    void run_band(Slot& s, std::uint32_t begin, std::uint32_t end);
    Result write_output(int output_fd);
    Result give(int output_fd, Slot& s, std::size_t& n);
    void decide_lending(int output_fd);

    int input_;
    std::vector<std::unique_ptr<FrameTransform>> chain_;
    std::uint32_t bands_;
    WakeSignal wake_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::uint64_t fill_seq_ = 0;  // the frame being read; frames before it are submitted
    std::uint64_t write_seq_ = 0; // the next frame to write
    std::uint64_t frames_written_ = 0;
    std::uint64_t output_total_ = 0; // bytes given to ffmpeg
    enum class Lending { undecided, yes, no } lending_ = Lending::undecided;
    std::uint64_t pipe_capacity_ = 0;
    std::uint64_t partial_bytes_ = 0;
    bool input_ended_ = false;
    std::deque<std::vector<std::uint8_t>> held_;
    std::string error_;
    // Last: destroyed first, so no band is still running when the slots go.
    std::unique_ptr<WorkerPool> pool_;
};

} // namespace framepipe
