// Writing a join of MP4/MOV segments (mp4_join.h) into a file: the header, then each segment's
// sample data copied by the kernel.
#pragma once

#include "concat/segment_probe.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace framepipe {

class SignalWatcher;

// Writes the join of `plan` (segments in frame order) into `output` and returns true; returns
// false, having written nothing, when one of them is not the plain layout Mp4Join joins (`why`
// then names it and says why), so the join is left to ffmpeg. `on_segment` is told the frames
// written after each segment. Throws Error(output) when the file cannot be written or a segment
// read, and Interrupted when a signal arrives.
bool write_mp4_join(const std::vector<SegmentInfo>& plan, const std::filesystem::path& output,
                    const std::function<void(std::uint64_t frames)>& on_segment,
                    SignalWatcher& signals, std::string& why);

} // namespace framepipe
