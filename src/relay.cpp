#include "relay.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace framepipe {

Relay::Relay(int input_fd, std::size_t chunk_bytes) : input_(input_fd), chunk_(chunk_bytes) {}

Feeder::Wants Relay::wants(bool output_writable) const {
    return {output_writable, !output_writable, -1};
}

Relay::Result Relay::transfer(int output_fd, Ready ready) {
    // Without input ready, only what was read already may go: a read could block.
    if (!ready.input && !has_pending())
        return Result::input_empty;
    return transfer(output_fd);
}

Relay::Result Relay::transfer(int output_fd) {
    if (has_pending())
        return flush_pending(output_fd);
    if (splice_ok_) {
        ssize_t n = ::splice(input_, nullptr, output_fd, nullptr, chunk_,
                             SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n > 0) {
            delivered_ += static_cast<std::uint64_t>(n);
            return Result::moved;
        }
        if (n == 0)
            return Result::input_ended;
        if (auto r = splice_failure(errno, error_))
            return *r;
        splice_ok_ = false; // not spliceable: copy
    }
    return copy_transfer(output_fd);
}

Relay::Result Relay::copy_transfer(int output_fd) {
    if (pending_.size() < chunk_)
        pending_.resize(chunk_);
    ssize_t n = ::read(input_, pending_.data(), chunk_);
    if (n < 0) {
        pending_begin_ = pending_.size();
        if (errno == EAGAIN || errno == EINTR)
            return Result::input_empty;
        error_ = std::strerror(errno);
        return Result::input_failed;
    }
    if (n == 0) {
        pending_begin_ = pending_.size();
        return Result::input_ended;
    }
    pending_.resize(static_cast<std::size_t>(n));
    pending_begin_ = 0;
    return flush_pending(output_fd);
}

Relay::Result Relay::flush_pending(int output_fd) {
    while (has_pending()) {
        std::size_t n = 0;
        if (const auto r = write_to_ffmpeg(output_fd, pending_.data() + pending_begin_,
                                           pending_.size() - pending_begin_, n, error_);
            r != Result::moved)
            return r;
        pending_begin_ += n;
        delivered_ += static_cast<std::uint64_t>(n);
    }
    return Result::moved;
}

} // namespace framepipe
