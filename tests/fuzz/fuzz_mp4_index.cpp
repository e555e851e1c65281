// Fuzz target: a segment's MP4/MOV index as framepipe concat reads it instead of asking ffprobe
// (concat/mp4_segment.h), at a file size taken from the input's first bytes, then the join's
// checks for that segment followed by a copy of itself.
#include "concat/join_plan.h"
#include "concat/mp4_segment.h"
#include "fuzz_support.h"

#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    std::uint64_t file_size = 0;
    for (std::size_t i = 0; i < 4 && i < size; ++i)
        file_size = file_size << 8 | data[i];
    auto moov = fuzz::as_text(data, size);
    moov.remove_prefix(std::min<std::size_t>(4, moov.size()));
    const auto s = parse_mp4_index("a.mp4", moov, file_size);
    if (!s)
        return 0;
    fuzz::require(s->properties.size() == 11);
    fuzz::require(s->index_frames && s->frames <= *s->index_frames);
    SegmentInfo next = *s;
    next.path = "b.mp4";
    if (next.tag)
        next.tag->start = s->end();
    fuzz::refused([&] { plan_join({next, *s}); });
    return 0;
}
