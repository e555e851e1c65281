#include "output_file.h"

#include "error.h"
#include "fd.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace framepipe {

namespace fs = std::filesystem;

namespace {

std::string errno_text() {
    return std::strerror(errno);
}

// Empty when the data is on disk, else why not. EINVAL is a file that cannot be synced at all
// (not on a disk), which is no failure; an open that fails is left to the rename to report.
std::string sync_file(const fs::path& p, OutputFile::SyncFn sync) {
    UniqueFd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd || sync(fd.get()) == 0 || errno == EINVAL)
        return {};
    return errno_text();
}

// Best effort: the rename is what makes the video appear; this only makes it survive a power cut.
void sync_directory(const fs::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd)
        ::fsync(fd.get());
}

} // namespace

OutputFile::OutputFile(fs::path final_path, bool overwrite, bool direct_if_new)
    : final_(std::move(final_path)), overwrite_(overwrite) {
    std::error_code ec;
    auto status = fs::status(final_, ec);
    if (fs::is_directory(status))
        throw Error(ExitCode::output, "output '" + final_.string() +
                                          "' is a directory: give a file name such as '" +
                                          (final_ / "out.mp4").string() + "'");
    if (fs::exists(status) && !overwrite_)
        throw Error(
            ExitCode::output,
            "output '" + final_.string() +
                "' already exists: pass -y/--overwrite to replace it, or choose another name");
    fs::path dir = final_.parent_path();
    if (dir.empty())
        dir = ".";
    if (!fs::is_directory(dir, ec))
        throw Error(ExitCode::output, "cannot write '" + final_.string() + "': the directory '" +
                                          dir.string() + "' does not exist");
    if (direct_if_new && !fs::exists(status)) {
        UniqueFd fd(::open(final_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
        if (fd) {
            temp_ = final_;
            return;
        }
        if (errno != EEXIST)
            throw Error(ExitCode::output, "cannot create '" + final_.string() + "' (" +
                                              errno_text() +
                                              "): check that the directory is writable");
        if (!overwrite_)
            throw Error(
                ExitCode::output,
                "output '" + final_.string() +
                    "' already exists: pass -y/--overwrite to replace it, or choose another name");
    }
    // Hidden and in the same directory, so the final rename is atomic and never crosses devices.
    fs::path name =
        "." + final_.filename().string() + ".framepipe-" + std::to_string(::getpid()) + ".part";
    temp_ = final_.parent_path() / name;
    UniqueFd fd(::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
    if (!fd)
        throw Error(ExitCode::output, "cannot create a file in '" + dir.string() + "' (" +
                                          errno_text() + "): check that the directory is writable");
}

std::vector<fs::path> OutputFile::leftovers(const fs::path& final_path) {
    std::vector<fs::path> found;
    const std::string prefix = "." + final_path.filename().string() + ".framepipe-";
    fs::path dir = final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (!name.starts_with(prefix) || !name.ends_with(".part"))
            continue;
        auto pid = std::atol(name.substr(prefix.size()).c_str());
        // A live process's file is its own business.
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0)
            continue;
        found.push_back(final_path.parent_path() / name);
    }
    return found;
}

OutputFile::~OutputFile() {
    if (!done_)
        discard();
}

bool OutputFile::temp_has_data() const {
    std::error_code ec;
    auto size = fs::file_size(temp_, ec);
    return !ec && size > 0;
}

void OutputFile::discard() {
    done_ = true;
    ::unlink(temp_.c_str());
}

void OutputFile::commit(SyncFn sync) {
    // ffmpeg never fsyncs: without this a power cut after the rename could leave an empty file
    // where the old one was. A failed fsync (EIO, a quota on NFS) means the disk may not hold
    // what ffmpeg wrote, so the old file stays and the new one is kept aside for the user.
    if (auto why = sync_file(temp_, sync); !why.empty()) {
        done_ = true;
        if (direct())
            throw Error(ExitCode::output, "could not flush '" + final_.string() + "' to disk (" +
                                              why +
                                              "): the video may be incomplete; check the disk");
        throw Error(ExitCode::output, "could not flush the finished video to disk (" + why +
                                          "): '" + final_.string() +
                                          "' was left as it was, and the video kept as '" +
                                          temp_.string() + "'; check the disk");
    }
    if (direct()) {
        done_ = true;
        return;
    }
    int rc = 0;
    if (overwrite_) {
        rc = ::rename(temp_.c_str(), final_.c_str());
    } else {
        rc = ::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, final_.c_str(), RENAME_NOREPLACE);
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
            // Filesystems without RENAME_NOREPLACE: link() also refuses to replace.
            rc = ::link(temp_.c_str(), final_.c_str());
            if (rc == 0)
                ::unlink(temp_.c_str());
        }
    }
    if (rc != 0) {
        auto why = errno == EEXIST ? std::string("a file of that name appeared while encoding")
                                   : errno_text();
        auto kept = temp_;
        done_ = true; // keep the finished video under its temporary name rather than lose it
        throw Error(ExitCode::output, "cannot move the finished video to '" + final_.string() +
                                          "' (" + why + "); it was kept as '" + kept.string() +
                                          "'");
    }
    done_ = true;
    fs::path dir = final_.parent_path();
    sync_directory(dir.empty() ? fs::path(".") : dir);
}

} // namespace framepipe
