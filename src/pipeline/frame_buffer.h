// Memory for one frame in flight. Frames are big (a 4K RGBA frame is 33 MB) and live for the
// whole run, so each buffer is mapped once, asked for transparent huge pages and touched up front:
// on a virtual machine every 4 KiB page fault and TLB miss is expensive, and with 2 MiB pages a
// read() into the buffer or a pass of the conversion kernel over it runs up to twice as fast.
#pragma once

#include <cstddef>
#include <cstdint>

namespace framepipe {

class FrameBuffer {
  public:
    FrameBuffer() = default;
    explicit FrameBuffer(std::size_t size);
    ~FrameBuffer();
    FrameBuffer(FrameBuffer&& other) noexcept;
    FrameBuffer& operator=(FrameBuffer&& other) noexcept;
    FrameBuffer(const FrameBuffer&) = delete;
    FrameBuffer& operator=(const FrameBuffer&) = delete;

    std::uint8_t* data() { return data_; }
    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }

  private:
    void release();

    void* mapping_ = nullptr;
    std::size_t mapped_ = 0;
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace framepipe
