// How a feeder's worker threads wake the supervisor's poll loop: an eventfd the loop polls
// (Feeder::Wants::wake_fd), which a worker makes readable when it has finished something and
// the loop drains before it looks at what was finished.
#pragma once

#include "fd.h"

#include <cstdint>
#include <sys/eventfd.h>
#include <unistd.h>

namespace framepipe {

class WakeSignal {
  public:
    WakeSignal() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

    int fd() const { return fd_.get(); }
    // From any thread. A full counter (2^64 - 2 wakes not drained) cannot happen; a failed write
    // would only mean the loop is already due to wake.
    void notify() const {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(fd_.get(), &one, sizeof one);
    }
    // From the poll loop, once poll said readable: the wakes so far are taken, all at once.
    void drain() const {
        std::uint64_t count = 0;
        [[maybe_unused]] auto n = ::read(fd_.get(), &count, sizeof count);
    }

  private:
    UniqueFd fd_;
};

} // namespace framepipe
