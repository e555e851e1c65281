#include "pipeline/feeder.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace framepipe {

namespace {

// What a failed write or vmsplice into ffmpeg's stdin means (EINTR is retried by the callers).
Feeder::Result write_failure(int err, std::string& error) {
    if (err == EAGAIN)
        return Feeder::Result::output_full;
    if (err != EPIPE)
        error = std::string("writing to ffmpeg: ") + std::strerror(err);
    return Feeder::Result::output_closed;
}

// The errors of splice(2) and vmsplice(2) that mean "these descriptors cannot do it", not a
// failure.
bool cannot_splice(int err) {
    return err == EINVAL || err == ENOSYS || err == EBADF;
}

} // namespace

Feeder::Result write_to_ffmpeg(int fd, const void* data, std::size_t size, std::size_t& written,
                               std::string& error) {
    for (;;) {
        const ssize_t n = ::write(fd, data, size);
        if (n >= 0) {
            written = static_cast<std::size_t>(n);
            return Feeder::Result::moved;
        }
        if (errno != EINTR)
            return write_failure(errno, error);
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
        if (cannot_splice(errno))
            return std::nullopt;
        if (errno != EINTR)
            return write_failure(errno, error);
    }
}

std::optional<std::size_t> pipe_capacity(int fd) {
    const int size = ::fcntl(fd, F_GETPIPE_SZ);
    if (size <= 0)
        return std::nullopt;
    return static_cast<std::size_t>(size);
}

std::optional<Feeder::Result> splice_failure(int err, std::string& error) {
    if (cannot_splice(err))
        return std::nullopt;
    switch (err) {
    case EAGAIN:
        return Feeder::Result::output_full;
    case EINTR:
        return Feeder::Result::input_empty;
    case EPIPE:
        return Feeder::Result::output_closed;
    default:
        error = std::strerror(err);
        return Feeder::Result::input_failed;
    }
}

} // namespace framepipe
