#include "ordered_frames.h"

#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace framepipe::testsrc {

namespace {

constexpr std::uint64_t kEmpty = std::numeric_limits<std::uint64_t>::max();
// Each worker renders its next frame while its previous one is being delivered.
constexpr unsigned kSlotsPerWorker = 2;

struct Slot {
    std::vector<std::uint8_t> bytes;
    std::uint64_t frame = kEmpty; // the finished frame it holds
};

// Frame i is rendered by worker i % threads into slot i % slots: with kSlotsPerWorker slots a
// worker, every slot belongs to one worker, so workers never wait for each other.
class Slots {
  public:
    Slots(unsigned threads, std::size_t frame_bytes) : slots_(threads * kSlotsPerWorker) {
        for (auto& slot : slots_)
            slot.bytes.resize(frame_bytes);
    }

    // For a worker: the slot for frame i once it is free, or nullptr once the run is stopped.
    Slot* wait_free(std::uint64_t i) {
        Slot& slot = at(i);
        std::unique_lock lock(mutex_);
        emptied_.wait(lock, [&] { return stopped_ || slot.frame == kEmpty; });
        return stopped_ ? nullptr : &slot;
    }

    void mark_filled(std::uint64_t i) {
        {
            std::lock_guard lock(mutex_);
            at(i).frame = i;
        }
        filled_.notify_one();
    }

    // For the delivering thread: the slot once it holds frame i.
    Slot& wait_filled(std::uint64_t i) {
        Slot& slot = at(i);
        std::unique_lock lock(mutex_);
        filled_.wait(lock, [&] { return slot.frame == i; });
        return slot;
    }

    // Frees frame i's slot; with stop, also tells every worker to finish.
    void release(std::uint64_t i, bool stop) {
        {
            std::lock_guard lock(mutex_);
            at(i).frame = kEmpty;
            stopped_ = stopped_ || stop;
        }
        emptied_.notify_all();
    }

  private:
    Slot& at(std::uint64_t i) { return slots_[i % slots_.size()]; }

    std::vector<Slot> slots_;
    std::mutex mutex_;
    std::condition_variable filled_, emptied_;
    bool stopped_ = false;
};

} // namespace

bool render_in_order(unsigned threads, std::uint64_t frames, std::size_t frame_bytes,
                     const RenderFrame& render, const DeliverFrame& deliver) {
    Slots slots(threads, frame_bytes);
    bool complete = true;
    {
        std::vector<std::jthread> workers;
        for (unsigned w = 0; w < threads; ++w)
            workers.emplace_back([&, w] {
                for (std::uint64_t i = w; i < frames; i += threads) {
                    Slot* slot = slots.wait_free(i);
                    if (!slot)
                        return;
                    render(w, i, slot->bytes);
                    slots.mark_filled(i);
                }
            });
        for (std::uint64_t i = 0; i < frames && complete; ++i) {
            complete = deliver(slots.wait_filled(i).bytes);
            slots.release(i, !complete);
        }
    } // the workers are joined here, before the slots go
    return complete;
}

} // namespace framepipe::testsrc
