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

} // namespace framepipe
