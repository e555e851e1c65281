#include "pipeline/feeder.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace framepipe {

Feeder::Result write_to_ffmpeg(int fd, const void* data, std::size_t size, std::size_t& written,
                               std::string& error) {
    for (;;) {
        const ssize_t n = ::write(fd, data, size);
        if (n >= 0) {
            written = static_cast<std::size_t>(n);
            return Feeder::Result::moved;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN)
            return Feeder::Result::output_full;
        if (errno != EPIPE)
            error = std::string("writing to ffmpeg: ") + std::strerror(errno);
        return Feeder::Result::output_closed;
    }
}

std::optional<Feeder::Result> lend_to_ffmpeg(int fd, const void* data, std::size_t size,
                                             std::size_t& written, std::string& error) {
    iovec iov{const_cast<void*>(data), size};
    for (;;) {
        const ssize_t n = ::vmsplice(fd, &iov, 1, SPLICE_F_NONBLOCK);
        if (n >= 0) {
            written = static_cast<std::size_t>(n);
            return Feeder::Result::moved;
        }
        switch (errno) {
        case EINTR:
            continue;
        case EAGAIN:
            return Feeder::Result::output_full;
        case EPIPE:
            return Feeder::Result::output_closed;
        case EINVAL:
        case ENOSYS:
        case EBADF:
            return std::nullopt;
        default:
            error = std::string("writing to ffmpeg: ") + std::strerror(errno);
            return Feeder::Result::output_closed;
        }
    }
}

std::optional<std::size_t> pipe_capacity(int fd) {
    const int size = ::fcntl(fd, F_GETPIPE_SZ);
    if (size <= 0)
        return std::nullopt;
    return static_cast<std::size_t>(size);
}

std::optional<Feeder::Result> splice_failure(int err, std::string& error) {
    switch (err) {
    case EAGAIN:
        return Feeder::Result::output_full;
    case EINTR:
        return Feeder::Result::input_empty;
    case EPIPE:
        return Feeder::Result::output_closed;
    case EINVAL:
    case ENOSYS:
    case EBADF:
        return std::nullopt;
    default:
        error = std::strerror(err);
        return Feeder::Result::input_failed;
    }
}

} // namespace framepipe
