// Whether segments join into one video, decided before anything is written: they must share
// every stream property and cover frames 0..N-1 exactly once. Pure, so every refusal's message
// is unit-tested.
#pragma once

#include "concat/segment_probe.h"
#include "container.h"
#include "rational.h"

#include <filesystem>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

// Returns the segments in frame order, or throws Error(segments) naming the segment and the
// problem: no framepipe tag, damage, a property differing from the first segment's, a gap or an
// overlap. `expected_frames` (--frames) also finds segments missing at the end.
std::vector<SegmentInfo> plan_join(std::vector<SegmentInfo> segments,
                                   std::optional<std::uint64_t> expected_frames = std::nullopt);

// Throws Error(usage) when the joined video cannot keep the segments' timestamps exact in
// `output`'s container: Matroska and WebM segments count in milliseconds, which an mp4 or mov
// track of the rate's own timescale cannot hold evenly.
void check_join_container(const std::vector<SegmentInfo>& plan, const Container& output,
                          const std::string& output_name);

// The concat demuxer's list: each file with its exact duration, so no container's rounding of
// its own length (mp4: milliseconds) moves the next segment's timestamps.
std::string concat_list(const std::vector<SegmentInfo>& plan);

// ffmpeg's arguments for the join: the concat demuxer reading `list`, every packet copied as it
// is, the segment tag cleared (the result is no segment), `output` written as `container`.
std::vector<std::string> build_join_args(const std::filesystem::path& list,
                                         const std::filesystem::path& output,
                                         const Container& container, Rational rate,
                                         int progress_fd);

// A path as one single-quoted ffconcat token.
std::string ffconcat_quote(const std::string& text);

// "10.010000": `frames` at `rate`, in seconds, to the microsecond the demuxer reads.
std::string exact_seconds(std::uint64_t frames, Rational rate);

} // namespace framepipe
