#include "encoder_probe.h"

#include "child_process.h"
#include "supervisor.h"

namespace framepipe {

std::string strip_log_context(std::string_view line) {
    // "[h264_nvenc @ 0x55d0c1a2be00] Cannot load libcuda.so.1": the address means nothing to a
    // user.
    if (line.starts_with('[')) {
        auto close = line.find("] ");
        if (close != std::string_view::npos &&
            line.substr(0, close).find(" @ 0x") != std::string_view::npos)
            line.remove_prefix(close + 2);
    }
    return std::string(line);
}

ProbeResult probe_encoder(const std::filesystem::path& ffmpeg, const FfmpegJob& job) {
    auto child = spawn_child({ffmpeg, build_encoder_probe_args(job), std::nullopt, true});
    LogTail tail;
    auto result = run_without_input(*child, tail, std::chrono::seconds(20));
    ProbeResult out;
    out.interrupted_by = result.interrupted_by;
    out.ok = result.child.success();
    if (!out.ok) {
        // The first error is the cause ("Cannot load libcuda.so.1"); what follows is ffmpeg
        // reporting the consequences ("Error while opening encoder ...").
        auto lines = tail.last_meaningful(8);
        if (!lines.empty())
            out.reason = strip_log_context(lines.front());
        else
            out.reason = "ffmpeg " + result.child.describe();
    }
    return out;
}

} // namespace framepipe
