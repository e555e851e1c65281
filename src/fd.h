// Owning file descriptors and the few fd helpers framepipe needs.
#pragma once

#include <string_view>
#include <utility>

namespace framepipe {

class UniqueFd {
  public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = std::exchange(o.fd_, -1);
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1);
    explicit operator bool() const { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

struct PipePair {
    UniqueFd read;
    UniqueFd write;
};

// Both ends close-on-exec, so no pipe ever leaks into a child that was not meant to have it.
PipePair make_pipe();
void set_nonblocking(int fd);

// Writes all of `bytes` to a blocking `fd`, retrying short writes and EINTR. False, with errno
// set, when a write fails: the caller says what was being written.
bool write_all(int fd, std::string_view bytes);

} // namespace framepipe
