// The output file's life: refused if it exists (unless overwriting), written under a temporary
// name in the same directory, and renamed into place only once ffmpeg has finished it. An
// existing file is therefore never lost to a failed or interrupted run.
#pragma once

#include <filesystem>
#include <unistd.h>
#include <vector>

namespace framepipe {

class OutputFile {
  public:
    // Checks the destination before any input is read. Throws Error(output) if it exists and
    // `overwrite` is false, if it is a directory, or if its directory is missing or unwritable.
    // `direct_if_new`: when nothing exists under the final name, write there straight away
    // (for --crash-safe, so whatever survives a crash is where the user looks); an existing
    // file is still replaced only by a finished one.
    OutputFile(std::filesystem::path final_path, bool overwrite, bool direct_if_new = false);
    ~OutputFile(); // removes the temporary file unless committed
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    const std::filesystem::path& final_path() const { return final_; }
    const std::filesystem::path& temp_path() const { return temp_; }

    // How a file's data is made durable: ::fsync, or a stand-in with which tests make it fail.
    using SyncFn = int (*)(int fd);

    // fsync, rename into place (refusing to replace a file that appeared meanwhile unless
    // overwriting), fsync the directory (best effort). Throws Error(output) when the fsync or the
    // rename fails, keeping the video under its temporary name and any old file untouched.
    void commit(SyncFn sync = ::fsync);
    void discard();
    // True when the file ffmpeg writes exists and is not empty: every real container has a
    // header, so an empty one means ffmpeg wrote nothing.
    bool temp_has_data() const;
    // True when ffmpeg writes under the final name itself.
    bool direct() const { return temp_ == final_; }
    // Leaves what was written where it is (a crash-safe partial video) and stops managing it.
    void keep() { done_ = true; }

    // Temporary files a killed framepipe left beside `final_path` (ffmpeg finishes them when its
    // input ends, but nobody renamed them), so a later run can point the user at them.
    static std::vector<std::filesystem::path> leftovers(const std::filesystem::path& final_path);

  private:
    std::filesystem::path final_, temp_;
    bool overwrite_;
    bool done_ = false;
};

} // namespace framepipe
