#include "pipeline/feeder.h"

#include <cerrno>
#include <cstring>
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
