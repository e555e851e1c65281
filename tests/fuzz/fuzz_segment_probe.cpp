// Fuzz target: ffprobe's JSON report on one segment (framepipe concat), then the join's checks
// and list for that segment followed by a copy of itself.
#include "concat/join_plan.h"
#include "concat/segment_probe.h"
#include "container.h"
#include "fuzz_support.h"
#include "json_fuzz.h"

#include <optional>
#include <vector>

namespace {

void check(std::string_view json) {
    using namespace framepipe;
    std::optional<SegmentInfo> s;
    fuzz::refused([&] { s = parse_segment_probe("a.mp4", json); });
    if (!s)
        return;
    // Every compared property is reported, "none" when ffprobe left it out.
    fuzz::require(s->properties.size() == 11);
    SegmentInfo next = *s;
    next.path = "b.mp4";
    if (next.tag)
        next.tag->start = s->end();
    fuzz::refused([&] {
        auto plan = plan_join({next, *s});
        fuzz::require(plan.size() == 2 && plan.front().first() <= plan.back().first());
        for (const char* output : {"joined.mp4", "joined.mkv"})
            fuzz::refused([&] { check_join_container(plan, container_for(output), output); });
        fuzz::require(concat_list(plan).starts_with("ffconcat version 1.0\n"));
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    framepipe::fuzz::with_a_value_retyped(framepipe::fuzz::as_text(data, size), check);
    return 0;
}
