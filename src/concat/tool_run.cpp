#include "concat/tool_run.h"

#include "child_process.h"

namespace framepipe {

std::unique_ptr<ChildProcess> start_tool(const std::filesystem::path& program,
                                         std::vector<std::string> args, int pipe_fd) {
    // spawn_child's one extra pipe, placed at the descriptor to read: stdout for ffprobe, the
    // -progress pipe for ffmpeg (as in ffmpeg_encoders.cpp).
    return spawn_child({program, std::move(args), pipe_fd, true});
}

ToolRun finish_tool(ChildProcess& child, const std::function<void(std::string_view)>& on_line,
                    SupervisorEvents events, std::chrono::milliseconds silence_limit) {
    events.on_progress_line = on_line;
    ToolRun run;
    run.result = run_without_input(child, run.tail, silence_limit, std::move(events));
    if (run.result.interrupted_by != 0)
        throw Interrupted{run.result.interrupted_by};
    return run;
}

ToolRun run_tool(const std::filesystem::path& program, std::vector<std::string> args, int pipe_fd,
                 const std::function<void(std::string_view)>& on_line, SupervisorEvents events,
                 std::chrono::milliseconds silence_limit) {
    auto child = start_tool(program, std::move(args), pipe_fd);
    return finish_tool(*child, on_line, std::move(events), silence_limit);
}

std::string tool_said(std::string_view tool, const LogTail& tail) {
    std::string text;
    for (const auto& line : tail.last_meaningful(6))
        text += "\n    " + line;
    return text.empty() ? text : "\n  " + std::string(tool) + " said:" + text;
}

} // namespace framepipe
