// `--segment-start N`: how an encode is set up so that its output joins losslessly with the other
// segments of the same video (docs/cli.md, "Segments"), and the tag that tells `framepipe concat`
// where the segment belongs. Pure: the argument builder and concat's checks call these.
#pragma once

#include "container.h"
#include "preset.h"
#include "rational.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

// What a segment's container tag records. The frame count is not in it: it is known only at the
// end, so concat counts the segment's packets instead.
struct SegmentTag {
    std::uint64_t start = 0; // the segment's first frame within the whole video, 0-based
    Rational rate{30, 1};
    std::string preset;
};

// The container tag (`comment`) holding a SegmentTag: a key every muxer framepipe segments use
// (mp4, mov, mkv, webm) writes and ffprobe reads back.
inline constexpr const char* kSegmentTagKey = "comment";

std::string format_segment_tag(const SegmentTag& tag);
// Nothing when `text` is not a tag format_segment_tag wrote.
std::optional<SegmentTag> parse_segment_tag(std::string_view text);

// Throws Error(usage) when segments made with this preset, or in this container, cannot be joined
// without re-encoding, saying which presets and containers can.
void check_segment_support(const Preset& preset, const Container& container);

// True for the containers segments may be written in and joined into (mp4, mov, mkv, webm).
bool is_joinable_container(const Container& container);

// The preset with the encoder options joining needs (x264: stitchable=1; SVT-AV1: closed GOP).
Preset segment_preset(Preset preset);

// Muxer options every segment of a video must share (a fixed mp4 time base), plus the tag.
std::vector<std::string> segment_muxer_args(const Container& container, const SegmentTag& tag);

// The mp4/mov track timescale for a rate: its numerator doubled until at least 10000, as ffmpeg
// itself picks by default, so each frame lasts a whole number of ticks in every segment.
std::int64_t segment_timescale(Rational rate);

// True for the mp4 family, whose time base must be set explicitly.
bool is_mov_family(const Container& container);

} // namespace framepipe
