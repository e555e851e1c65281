// A private temporary directory for one bench run, removed with everything in it at the end.
#pragma once

#include <filesystem>

namespace framepipe::bench {

class TempDir {
  public:
    TempDir(); // under $TMPDIR (else /tmp); throws Error(output) if it cannot be made
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

} // namespace framepipe::bench
