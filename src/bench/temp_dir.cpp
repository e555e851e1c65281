#include "bench/temp_dir.h"

#include "error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

namespace framepipe::bench {

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/framepipe-bench-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        throw Error(ExitCode::output, "cannot create a temporary directory '" + pattern +
                                          "': " + std::strerror(errno) +
                                          "; point TMPDIR at a writable directory");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

} // namespace framepipe::bench
