#include "bench/capture.h"

#include "bench/child_run.h"
#include "child_process.h"
#include "error.h"
#include "fd.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace framepipe::bench {

namespace fs = std::filesystem;

namespace {

UniqueFd create_file(const fs::path& file) {
    UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd)
        throw Error(ExitCode::output, "cannot create '" + file.string() +
                                          "': " + std::strerror(errno) +
                                          "; point TMPDIR at a writable directory with room");
    return fd;
}

void write_all(int fd, const char* data, std::size_t size, const fs::path& file) {
    if (!framepipe::write_all(fd, std::string_view(data, size)))
        throw Error(ExitCode::output, "cannot write '" + file.string() +
                                          "': " + std::strerror(errno) +
                                          "; point TMPDIR at a directory with room");
}

// Reads until `want` bytes or the end of the input; returns how many arrived.
std::uint64_t copy_bytes(int in, int out, std::uint64_t want, const std::string& name,
                         const fs::path& file) {
    std::vector<char> buffer(1 << 20);
    std::uint64_t done = 0;
    while (done < want) {
        auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), want - done));
        auto n = ::read(in, buffer.data(), chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(ExitCode::input, "cannot read '" + name + "': " + std::strerror(errno));
        if (n == 0)
            break;
        write_all(out, buffer.data(), static_cast<std::size_t>(n), file);
        done += static_cast<std::uint64_t>(n);
    }
    return done;
}

std::uint64_t capture_input(const CaptureRequest& r, const fs::path& file, std::uint64_t bytes) {
    UniqueFd owned;
    int in = STDIN_FILENO;
    if (r.input != "-") {
        owned = UniqueFd(::open(r.input.c_str(), O_RDONLY | O_CLOEXEC));
        if (!owned)
            throw Error(ExitCode::input,
                        "cannot open input '" + r.input + "': " + std::strerror(errno));
        in = owned.get();
    }
    auto out = create_file(file);
    return copy_bytes(in, out.get(), r.frames * bytes, r.input == "-" ? "stdin" : r.input, file);
}

void generate_builtin(const CaptureRequest& r, const fs::path& file) {
    auto out = create_file(file);
    SpawnRequest spawn{find_testsrc(),
                       {"-s", to_string(r.size), "--pix-fmt", std::string(r.format->name), "-r",
                        to_string(r.rate), "-n", std::to_string(r.frames), "--labels"},
                       std::nullopt,
                       true};
    spawn.stdout_target = out.get();
    auto run = run_child(spawn);
    if (!run.status.success())
        throw Error(ExitCode::input,
                    "framepipe-testsrc " + run.status.describe() +
                        (run.last_lines.empty() ? std::string() : ": " + run.last_lines.back()));
}

} // namespace

fs::path find_testsrc() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = self.parent_path() / "framepipe-testsrc";
        if (::access(beside.c_str(), X_OK) == 0)
            return beside;
    }
    auto found = find_program("framepipe-testsrc");
    if (found.empty())
        throw Error(ExitCode::input,
                    "cannot find framepipe-testsrc (beside framepipe or on PATH) for the built-in "
                    "content: reinstall framepipe, or give your own frames with --input");
    return found;
}

Captured first_frames(const Captured& c, std::uint64_t frames, const fs::path& file) {
    Captured shorter = c;
    shorter.file = file;
    shorter.frames = std::min(frames, c.frames);
    const auto bytes = shorter.frames * frame_bytes(c.size, *c.format);
    // Several slow presets share a sample: made once, and only its own bytes copied (not the
    // whole capture, a gigabyte at 720p, then truncated).
    std::error_code ec;
    if (fs::file_size(file, ec) == bytes && !ec)
        return shorter;
    UniqueFd in(::open(c.file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in)
        throw Error(ExitCode::input, "cannot reopen the captured frames '" + c.file.string() +
                                         "': " + std::strerror(errno));
    auto out = create_file(file);
    if (copy_bytes(in.get(), out.get(), bytes, c.file.string(), file) != bytes)
        throw Error(ExitCode::input,
                    "the captured frames '" + c.file.string() + "' are shorter than they were");
    return shorter;
}

Captured capture_frames(const CaptureRequest& r, const fs::path& file) {
    const auto bytes = frame_bytes(r.size, *r.format);
    Captured c{file, r.size, r.format, r.rate, r.frames, {}};
    if (r.input.empty()) {
        generate_builtin(r, file);
        c.content = "built-in plot + picture (framepipe-testsrc --labels)";
    } else {
        c.frames = capture_input(r, file, bytes) / bytes;
        c.content = r.input == "-" ? "stdin" : r.input;
    }
    std::error_code ec;
    auto written = fs::file_size(file, ec);
    if (c.frames == 0 || ec || written < c.frames * bytes)
        throw Error(ExitCode::input, "no whole frame arrived from " +
                                         (r.input.empty() ? "framepipe-testsrc" : c.content) +
                                         " (a frame is " + std::to_string(bytes) + " bytes at " +
                                         to_string(r.size) + " " + std::string(r.format->name) +
                                         "): check -s and --pix-fmt");
    // A partial last frame would be an input error in a real run; the bench just leaves it out.
    fs::resize_file(file, c.frames * bytes, ec);
    return c;
}

} // namespace framepipe::bench
