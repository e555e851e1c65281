#include "tool_lookup.h"

#include "child_process.h"
#include "error.h"

#include <unistd.h>

namespace framepipe {

namespace fs = std::filesystem;

fs::path locate_tool(const std::string& program, std::string_view tool, std::string_view pointers) {
    fs::path exe = find_program(program);
    std::error_code ec;
    const std::string name(tool), point(pointers);
    if (exe.empty() || !fs::exists(exe, ec))
        throw Error(
            ExitCode::ffmpeg_unusable,
            "cannot find " + name + " ('" + program + "'" +
                (program.find('/') == std::string::npos ? std::string(" on PATH") : std::string()) +
                "): install it with 'apt-get install ffmpeg', or point " + point + " at it");
    if (fs::is_directory(exe, ec) || ::access(exe.c_str(), X_OK) != 0)
        throw Error(ExitCode::ffmpeg_unusable, "'" + exe.string() +
                                                   "' is not an executable program: point " +
                                                   point + " at the " + name + " binary");
    return exe;
}

} // namespace framepipe
