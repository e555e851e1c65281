// Fuzz target: an MP4/MOV index as framepipe concat reads it instead of asking ffprobe, at a file
// size taken from the input's first bytes: as a segment's (concat/mp4_segment.h), then the join's
// checks for that segment followed by a copy of itself; and as a joined video's
// (concat/joined_index.h), its samples walked and checked against itself as the one segment;
// and joined to itself by framepipe (concat/mp4_join.h), which must read back as twice the frames.
#include "concat/join_plan.h"
#include "concat/joined_index.h"
#include "concat/mp4_boxes.h"
#include "concat/mp4_join.h"
#include "concat/mp4_samples.h"
#include "concat/mp4_segment.h"
#include "fuzz_support.h"

#include <algorithm>
#include <optional>

namespace {

void segment(std::string_view moov, std::uint64_t file_size) {
    using namespace framepipe;
    const auto s = parse_mp4_index("a.mp4", moov, file_size);
    if (!s)
        return;
    fuzz::require(s->properties.size() == 11);
    fuzz::require(s->index_frames && s->frames <= *s->index_frames);
    SegmentInfo next = *s;
    next.path = "b.mp4";
    if (next.tag)
        next.tag->start = s->end();
    fuzz::refused([&] { plan_join({next, *s}); });
}

void joined(std::string_view moov) {
    using namespace framepipe;
    auto samples = Mp4Samples::open(moov);
    if (!samples)
        return;
    // A count from the input can be 2^32: a join's own count comes from its segments.
    const std::uint64_t frames = std::min<std::uint64_t>(samples->count(), 1u << 16);
    std::uint64_t walked = 0;
    while (walked < frames && samples->next())
        ++walked;
    fuzz::require(walked <= samples->count());
    auto check = JoinedIndexCheck::open(moov, frames, {30, 1}, {1, samples->timescale()});
    fuzz::require(check.has_value());
    check->add_segment("a.mp4", moov, frames);
    const auto problem = check->result();
    fuzz::require(!problem || !problem->empty());
    fuzz::require(check->key_frames() <= frames);
}

void native_join(std::string_view moov, std::uint64_t file_size) {
    using namespace framepipe;
    const std::string ftyp("\0\0\0\x10"
                           "ftypisom\0\0\x02\0",
                           16);
    Mp4Join join;
    if (!join.add(ftyp, moov, file_size) || !join.add(ftyp, moov, file_size))
        return;
    const auto header = join.header();
    if (!header)
        return;
    fuzz::require(header->starts_with(ftyp) && join.data().size() == 2);
    const auto joined_moov = mp4::child(std::string_view(*header).substr(ftyp.size()), "moov");
    fuzz::require(joined_moov.has_value());
    auto one = Mp4Samples::open(moov);
    auto both = Mp4Samples::open(*joined_moov);
    fuzz::require(one && both && both->count() == 2 * one->count());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::uint64_t file_size = 0;
    for (std::size_t i = 0; i < 4 && i < size; ++i)
        file_size = file_size << 8 | data[i];
    auto moov = framepipe::fuzz::as_text(data, size);
    moov.remove_prefix(std::min<std::size_t>(4, moov.size()));
    segment(moov, file_size);
    joined(moov);
    native_join(moov, file_size);
    return 0;
}
