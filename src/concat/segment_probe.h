// What concat needs to know about one segment, read with ffprobe: its tag, how many frames it
// really holds, and every stream property that must match across segments.
#pragma once

#include "concat/segment_setup.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace framepipe {

struct SegmentInfo {
    std::string path; // as given on the command line, for messages
    std::optional<SegmentTag> tag;
    std::uint64_t frames = 0;                  // packets ffprobe could read
    std::optional<std::uint64_t> index_frames; // what the container's index promises (mp4)
    std::optional<double> duration;            // the container's own duration, seconds
    std::vector<std::string> problems;         // ffprobe's errors while reading it
    // Stream properties that must be equal in every segment, as (name, value), in the order
    // they are compared: codec, profile, size, pixel format, colour tags, time base, codec headers.
    std::vector<std::pair<std::string, std::string>> properties;

    std::uint64_t first() const { return tag ? tag->start : 0; }
    std::uint64_t end() const { return first() + frames; } // one past the last frame
};

// ffprobe's arguments for one segment: the first video stream's properties, its packet count
// (ffprobe reads the whole file, which also finds truncation) and the format's tags, as JSON.
std::vector<std::string> segment_probe_args(const std::filesystem::path& path);

// Reads that JSON. Throws Error(segments) when it is not what ffprobe writes or has no video.
SegmentInfo parse_segment_probe(std::string path, std::string_view json);

// Reads each segment's own MP4/MOV index when every one of them has the plain layout
// (mp4_segment.h); otherwise runs ffprobe on each, a few at a time (its start-up, not the
// reading, is most of its time). Throws Error(segments) when one cannot be read at all, and
// Interrupted after a signal.
std::vector<SegmentInfo> probe_segments(const std::filesystem::path& ffprobe,
                                        const std::vector<std::string>& paths);

} // namespace framepipe
