#include "pipeline/frame_buffer.h"

#include <new>
#include <sys/mman.h>
#include <utility>

namespace framepipe {

namespace {

constexpr std::size_t huge_page = 2u << 20;

} // namespace

FrameBuffer::FrameBuffer(std::size_t size) : size_(size) {
    if (size == 0)
        return;
    // Huge pages only come whole and aligned: map one more so an aligned start fits.
    const bool huge = size >= huge_page;
    mapped_ = huge ? (size + 2 * huge_page - 1) / huge_page * huge_page : size;
    mapping_ = ::mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping_ == MAP_FAILED) {
        mapping_ = nullptr;
        throw std::bad_alloc();
    }
    auto start = reinterpret_cast<std::uintptr_t>(mapping_);
    if (huge) {
        start = (start + huge_page - 1) / huge_page * huge_page;
        // Only advice: where huge pages are off or scarce, normal pages serve the same.
        ::madvise(reinterpret_cast<void*>(start),
                  mapped_ - (start - reinterpret_cast<std::uintptr_t>(mapping_)), MADV_HUGEPAGE);
    }
    data_ = reinterpret_cast<std::uint8_t*>(start);
    // Fault every page in now, at start-up, rather than during the first frames. One write a
    // small page is enough: the kernel hands out pages zeroed, so a memset would be a second pass.
    for (std::size_t i = 0; i < size_; i += 4096)
        data_[i] = 0;
}

FrameBuffer::~FrameBuffer() {
    release();
}

FrameBuffer::FrameBuffer(FrameBuffer&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)), mapped_(std::exchange(other.mapped_, 0)),
      data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

FrameBuffer& FrameBuffer::operator=(FrameBuffer&& other) noexcept {
    if (this != &other) {
        release();
        mapping_ = std::exchange(other.mapping_, nullptr);
        mapped_ = std::exchange(other.mapped_, 0);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

void FrameBuffer::release() {
    if (mapping_)
        ::munmap(mapping_, mapped_);
    mapping_ = nullptr;
    data_ = nullptr;
}

} // namespace framepipe
