#include "output.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace framepipe::testsrc {

void widen_stdout_pipe() {
    struct stat st {};
    if (::fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
        ::fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
}

bool write_stdout(const std::uint8_t* data, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(STDOUT_FILENO, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

} // namespace framepipe::testsrc
