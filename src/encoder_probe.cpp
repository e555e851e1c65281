#include "encoder_probe.h"

#include "child_process.h"
#include "fd.h"
#include "signals.h"
#include "supervisor.h"

#include <fcntl.h>

namespace framepipe {

ProbeResult probe_encoder(const std::filesystem::path& ffmpeg, const FfmpegJob& job) {
    auto child = spawn_child({ffmpeg, build_encoder_probe_args(job), std::nullopt, true});
    // The probe reads a synthetic source, so its stdin is simply closed at once.
    UniqueFd empty(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    SignalWatcher signals;
    LogTail tail;
    SupervisorConfig config;
    config.finish_timeout = std::chrono::seconds(20);
    Supervisor supervisor(empty.get(), *child, signals.fd(), [&] { return signals.take(); }, tail, config);
    auto result = supervisor.run();
    ProbeResult out;
    out.interrupted_by = result.interrupted_by;
    out.ok = result.child.success();
    if (!out.ok) {
        for (const auto& line : tail.last_meaningful(3)) {
            if (!out.reason.empty())
                out.reason += "; ";
            out.reason += line;
        }
        if (out.reason.empty())
            out.reason = "ffmpeg " + result.child.describe();
    }
    return out;
}

} // namespace framepipe
