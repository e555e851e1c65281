// Runs ffprobe or ffmpeg on files (no input of framepipe's to relay) under the supervisor, with
// one of its output streams read line by line. The join's every child goes through here.
#pragma once

#include "log_tail.h"
#include "supervisor.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

// A signal arrived while a child ran: the join stops and exits 128+signo.
struct Interrupted {
    int signo = 0;
};

struct ToolRun {
    SupervisorResult result;
    LogTail tail;
};

// Starts `program args...` with a pipe at descriptor `pipe_fd`, for finish_tool() to supervise
// later: children started ahead run side by side. Throws Error(ffmpeg_unusable) when the program
// cannot be started.
std::unique_ptr<ChildProcess> start_tool(const std::filesystem::path& program,
                                         std::vector<std::string> args, int pipe_fd);

// Supervises a started child until it exits, passing each line of its pipe to `on_line`. Throws
// Interrupted after a signal.
ToolRun finish_tool(ChildProcess& child, const std::function<void(std::string_view)>& on_line,
                    SupervisorEvents events = {},
                    std::chrono::milliseconds silence_limit = std::chrono::seconds(60));

// Both in one: starts `program args...`, passing each line it writes to descriptor `pipe_fd` (1 for
// stdout, or the -progress pipe) to `on_line`, and waits until it exits. Throws Interrupted after a
// signal and Error(ffmpeg_unusable) when the program cannot be started.
ToolRun run_tool(const std::filesystem::path& program, std::vector<std::string> args, int pipe_fd,
                 const std::function<void(std::string_view)>& on_line, SupervisorEvents events = {},
                 std::chrono::milliseconds silence_limit = std::chrono::seconds(60));

// ffmpeg's or ffprobe's own last complaints, for a message: "\n  ffprobe said:\n    ...".
std::string tool_said(std::string_view tool, const LogTail& tail);

} // namespace framepipe
