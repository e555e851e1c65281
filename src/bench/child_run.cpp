#include "bench/child_run.h"

#include "log_tail.h"
#include "supervisor.h"

#include <chrono>

namespace framepipe::bench {

ChildRun run_child(const SpawnRequest& request) {
    auto child = spawn_child(request);
    LogTail tail;
    // Encoders such as VP9 or a slow preset on 4K frames may think for minutes without a word.
    auto result = run_without_input(*child, tail, std::chrono::hours(2));
    if (result.interrupted_by)
        throw Interrupted{result.interrupted_by};
    return {result.child, tail.last_meaningful(8), {tail.lines().begin(), tail.lines().end()}};
}

} // namespace framepipe::bench

#include "fd.h"

#include <fcntl.h>
#include <fstream>
#include <sstream>

namespace framepipe::bench {

std::string program_output(const std::filesystem::path& program, std::vector<std::string> args,
                           const std::filesystem::path& work_dir) {
    const auto file = work_dir / "stdout.txt";
    {
        UniqueFd out(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (!out)
            return {};
        SpawnRequest request{program, std::move(args), std::nullopt, true};
        request.stdout_target = out.get();
        if (!run_child(request).status.success())
            return {};
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace framepipe::bench
