#include "concat/mp4_join_write.h"

#include "concat/mp4_boxes.h"
#include "concat/mp4_join.h"
#include "concat/tool_run.h"
#include "error.h"
#include "fd.h"
#include "signals.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace framepipe {

namespace {

[[noreturn]] void cannot(const std::string& what, const std::string& path) {
    throw Error(ExitCode::output, "cannot " + what + " '" + path + "': " + std::strerror(errno) +
                                      " (is the disk full, or the file gone?)");
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
    if (!framepipe::write_all(fd, bytes))
        cannot("write the joined video", path);
}

// Copies `length` bytes from `in` at `offset` to the end of `out`: in the kernel where it can
// (copy_file_range; on one filesystem that may share the blocks), else through a buffer.
void copy_range(int in, std::uint64_t offset, std::uint64_t length, int out,
                const std::string& segment, const std::string& output) {
    auto at = static_cast<off_t>(offset);
    while (length > 0) {
        const ssize_t n = ::copy_file_range(in, &at, out, nullptr, length, 0);
        if (n > 0) {
            length -= static_cast<std::uint64_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
                       errno != EOPNOTSUPP && errno != EPERM))
            cannot(n == 0 ? "read all of segment" : "copy from segment", n == 0 ? segment : output);
        break;
    }
    std::vector<char> buffer(length > 0 ? 1u << 20 : 0);
    while (length > 0) {
        const ssize_t n =
            ::pread(in, buffer.data(), std::min<std::uint64_t>(length, buffer.size()), at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            cannot("read all of segment", segment);
        write_all(out, std::string_view(buffer.data(), static_cast<std::size_t>(n)), output);
        at += n;
        length -= static_cast<std::uint64_t>(n);
    }
}

} // namespace

bool write_mp4_join(const std::vector<SegmentInfo>& plan, const std::filesystem::path& output,
                    const std::function<void(std::uint64_t frames)>& on_segment,
                    SignalWatcher& signals, std::string& why) {
    Mp4Join join;
    for (const auto& segment : plan) {
        const auto index = mp4::read_moov(segment.path);
        if (!index) {
            why = "segment '" + segment.path + "' has no index framepipe reads";
            return false;
        }
        if (!join.add(index->ftyp, index->moov, index->file_size)) {
            why = "segment '" + segment.path + "': " + join.why();
            return false;
        }
    }
    const auto header = join.header();
    if (!header) {
        why = join.why();
        return false;
    }
    const std::string out_name = output.string();
    UniqueFd out(::open(out_name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (!out)
        cannot("create the joined video", out_name);
    write_all(out.get(), *header, out_name);
    std::uint64_t frames = 0;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        if (auto signo = signals.take())
            throw Interrupted{*signo};
        UniqueFd in(::open(plan[i].path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!in)
            cannot("open segment", plan[i].path);
        copy_range(in.get(), join.data()[i].offset, join.data()[i].length, out.get(), plan[i].path,
                   out_name);
        frames += plan[i].frames;
        on_segment(frames);
    }
    if (::close(out.release()) != 0)
        cannot("write the joined video", out_name);
    return true;
}

} // namespace framepipe
