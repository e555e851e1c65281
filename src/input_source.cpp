#include "input_source.h"

#include "error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace framepipe {

namespace {

// The producer's pipe is the first of the two hops; at the default 64 KiB every splice moves 16
// pages and costs a wake-up of the producer. 1 MiB is the unprivileged cap (pipe-max-size). The
// kernel may refuse (per-user pipe quota): that costs speed only.
void enlarge_pipe(int fd) {
    ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

void note_regular_file(InputSource& in, const struct stat& st) {
    in.is_regular = S_ISREG(st.st_mode);
    if (!in.is_regular)
        return;
    off_t at = ::lseek(in.fd, 0, SEEK_CUR);
    in.start_offset = at > 0 ? static_cast<std::uint64_t>(at) : 0;
    auto size = static_cast<std::uint64_t>(st.st_size);
    in.bytes_left = size > in.start_offset ? size - in.start_offset : 0;
}

} // namespace

InputSource open_input(const std::string& path) {
    InputSource in;
    if (path == "-") {
        in.fd = STDIN_FILENO;
        in.label = "stdin";
        struct stat st {};
        if (::fstat(STDIN_FILENO, &st) != 0)
            throw Error(ExitCode::input,
                        "stdin is closed: pipe frames into framepipe or use --input PATH");
        // A write-only stdin (`0>FILE`, a pipe's write end) never becomes readable: poll would
        // wait for input forever.
        if ((::fcntl(STDIN_FILENO, F_GETFL) & O_ACCMODE) == O_WRONLY)
            throw Error(ExitCode::input, "stdin is open for writing only: pipe raw frames into "
                                         "framepipe or use --input PATH");
        if (S_ISDIR(st.st_mode))
            throw Error(ExitCode::input, "stdin is a directory (a '< DIR' redirection?): pipe raw "
                                         "frames into framepipe or use --input PATH");
        in.is_fifo = S_ISFIFO(st.st_mode);
        if (in.is_fifo)
            enlarge_pipe(in.fd);
        note_regular_file(in, st);
        return in;
    }
    in.label = "'" + path + "'";
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(ExitCode::input, "cannot open input '" + path + "': " + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        throw Error(ExitCode::input,
                    "input '" + path +
                        "' is a directory: give a file or a named pipe of raw frames");
    in.is_fifo = S_ISFIFO(st.st_mode);
    // O_NONBLOCK only for the open: a plain open() of a FIFO blocks until a writer appears, and no
    // signal interrupts it. Reads then stay blocking-free because the supervisor polls first.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (in.is_fifo ? O_NONBLOCK : 0));
    if (fd < 0)
        throw Error(ExitCode::input, "cannot open input '" + path + "': " + std::strerror(errno));
    in.owned.reset(fd);
    if (in.is_fifo) {
        int flags = ::fcntl(fd, F_GETFL);
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        enlarge_pipe(fd);
    }
    in.fd = fd;
    if (::fstat(fd, &st) == 0) // what was opened, should the path have changed since stat()
        note_regular_file(in, st);
    return in;
}

} // namespace framepipe
