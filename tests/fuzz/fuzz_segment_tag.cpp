// Fuzz target: the segment tag (the container's `comment`) that tells framepipe concat where a
// segment belongs, and what is computed from its rate.
#include "concat/join_check.h"
#include "concat/join_plan.h"
#include "concat/segment_setup.h"
#include "container.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const auto tag = parse_segment_tag(fuzz::as_text(data, size));
    if (!tag)
        return 0;
    fuzz::require(tag->rate.num > 0 && tag->rate.den > 0 && !tag->preset.empty());
    // What concat reads back is what a segment would be written with.
    const auto again = parse_segment_tag(format_segment_tag(*tag));
    fuzz::require(again && again->start == tag->start && again->rate == tag->rate &&
                  again->preset == tag->preset);
    fuzz::require(segment_timescale(tag->rate) >= 10000);
    const auto mp4 = joined_time_base(container_for("joined.mp4"), tag->rate);
    fuzz::require(mp4.num == 1 && mp4.den >= 10000);
    fuzz::require(!segment_muxer_args(container_for("segment.mp4"), *tag).empty());
    (void)seconds_text(frame_start_micros(tag->start, tag->rate));
    return 0;
}
