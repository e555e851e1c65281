// Bytes on their way from the producer to ffmpeg, in one buffer that is neither zero-filled nor
// reallocated per read: reads append at the back, writes drop from the front. On this virtual
// machine page faults and memset cost more than the copy they would spare, so the memory is a
// FrameBuffer (mapped and touched once), the live bytes move to the front only when the space
// behind them is too short for the next read, and the buffer grows (doubling) only when the live
// bytes need it, e.g. a large PNG held back until its IEND is checked.
#pragma once

#include "pipeline/frame_buffer.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace framepipe {

class ByteQueue {
  public:
    explicit ByteQueue(std::size_t capacity);

    std::span<std::uint8_t> live() { return {buffer_.data() + begin_, end_ - begin_}; }
    std::size_t size() const { return end_ - begin_; }
    std::size_t capacity() const { return buffer_.size(); }

    // Room for at least `n` more bytes behind the live ones; say with `appended` how many came.
    std::span<std::uint8_t> room(std::size_t n);
    void appended(std::size_t n) { end_ += n; }
    void append(std::span<const std::uint8_t> bytes);
    // The first `n` live bytes are done with.
    void drop_front(std::size_t n);

  private:
    FrameBuffer buffer_;
    std::size_t begin_ = 0, end_ = 0;
};

} // namespace framepipe
