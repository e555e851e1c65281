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
// its own length (mp4: milliseconds) moves the next segment's timestamps. Each duration is the
// difference of the rounded start times, so the demuxer's sum of them puts every segment within
// half a microsecond of its frame's time however many there are.
std::string concat_list(const std::vector<SegmentInfo>& plan);

// ffmpeg's arguments for the join: the concat demuxer reading `list`, every packet copied as it
// is, the segment tag cleared (the result is no segment), `output` written as `container`. The
// demuxer's auto_convert is off: it would rewrite each H.264 key frame from an MP4 with its
// parameter sets in-band, so the join would not be byte for byte what the segments hold (and
// cost more), and every segment's parameter sets are already checked to be the same.
std::vector<std::string> build_join_args(const std::filesystem::path& list,
                                         const std::filesystem::path& output,
                                         const Container& container, Rational rate,
                                         int progress_fd);

// A path as one single-quoted ffconcat token.
std::string ffconcat_quote(const std::string& text);

// When frame `frame` starts at `rate`, in whole microseconds (rounded), as the demuxer reads them.
std::uint64_t frame_start_micros(std::uint64_t frame, Rational rate);

// "10.010000": microseconds as seconds.
std::string seconds_text(std::uint64_t micros);

} // namespace framepipe
