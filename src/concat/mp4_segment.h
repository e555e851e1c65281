// Reading a segment's description from its MP4/MOV index (the `moov` box, ISO/IEC 14496-12 and
// 14496-15, Apple's QuickTime File Format), instead of starting an ffprobe for it. An ffprobe
// costs about 0.15 CPU-seconds on a 2-core VM, nearly all of it loading its 215 libraries, which
// made a join of 20 segments cost 4% of their encode; this reads a few kilobytes.
//
// Only the plain layout ffmpeg writes for framepipe's segments is read here: one index, sample
// tables in it, no fragments. Anything else (fragmented MP4, a damaged index, a codec this does
// not know) is left to ffprobe, which reports it in its own words.
#pragma once

#include "concat/segment_probe.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe {

// The segment described by a `moov` box's payload (the bytes after its 8- or 16-byte header), in
// a file of `file_size` bytes: its first video track's properties, labelled as
// parse_segment_probe labels them; `frames`, the samples whose bytes lie wholly within the file;
// `index_frames`, all the samples the index lists. Nothing when the index is not the plain layout
// described above. Pure, and total: any bytes give a result or nothing.
std::optional<SegmentInfo> parse_mp4_index(std::string path, std::string_view moov,
                                           std::uint64_t file_size);

// Opens `path` and reads its `moov` box, walking the top-level boxes by their headers only.
// Nothing when the file cannot be read, is not MP4/MOV, is fragmented, or its index is not the
// plain layout (then ffprobe is asked instead).
std::optional<SegmentInfo> read_mp4_segment(const std::string& path);

} // namespace framepipe
