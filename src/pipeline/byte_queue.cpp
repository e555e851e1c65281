#include "pipeline/byte_queue.h"

#include <algorithm>
#include <cstring>

namespace framepipe {

ByteQueue::ByteQueue(std::size_t capacity) : buffer_(std::max<std::size_t>(capacity, 1)) {}

std::span<std::uint8_t> ByteQueue::room(std::size_t n) {
    if (capacity() - end_ < n) {
        const std::size_t live_bytes = size();
        // Moving the live bytes is a copy; when they would fill more than half the buffer they
        // would soon be moved again, so it grows instead. After a move at least half the buffer
        // is free, so the bytes moved never exceed the bytes read, however large the frames held.
        if (live_bytes + n <= capacity() / 2) {
            std::memmove(buffer_.data(), buffer_.data() + begin_, live_bytes);
        } else {
            FrameBuffer bigger(std::max(2 * capacity(), 2 * (live_bytes + n)));
            std::memcpy(bigger.data(), buffer_.data() + begin_, live_bytes);
            buffer_ = std::move(bigger);
        }
        begin_ = 0;
        end_ = live_bytes;
    }
    return {buffer_.data() + end_, capacity() - end_};
}

void ByteQueue::append(std::span<const std::uint8_t> bytes) {
    if (bytes.empty())
        return;
    std::memcpy(room(bytes.size()).data(), bytes.data(), bytes.size());
    appended(bytes.size());
}

void ByteQueue::drop_front(std::size_t n) {
    begin_ += std::min(n, size());
    if (begin_ == end_)
        begin_ = end_ = 0; // empty: the next read starts at the front again, no move needed
}

} // namespace framepipe
