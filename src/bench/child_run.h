// Runs a helper program (ffmpeg, ffprobe, framepipe-testsrc, framepipe itself) to its end for the
// bench, keeping its stderr, and turns a Ctrl-C during it into a clean stop of the whole bench.
#pragma once

#include "child_process.h"

#include <string>
#include <string_view>
#include <vector>

namespace framepipe::bench {

struct ChildRun {
    ExitStatus status;
    std::vector<std::string> last_lines; // stderr's last meaningful lines, oldest first
    std::vector<std::string> tail;       // stderr's last 40 lines, whatever they say
};

// Throws Interrupted when the user stops framepipe meanwhile (the child is stopped first).
ChildRun run_child(const SpawnRequest& request);

struct Interrupted {
    int signo;
};

} // namespace framepipe::bench

namespace framepipe::bench {

// What a program prints on stdout (`ffmpeg -version`), through a file in `work_dir`; empty when
// it cannot be run or fails.
std::string program_output(const std::filesystem::path& program, std::vector<std::string> args,
                           const std::filesystem::path& work_dir);

} // namespace framepipe::bench
