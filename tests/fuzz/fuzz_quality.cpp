// Fuzz target: what framepipe bench reads to score an output: ffmpeg's ssim and psnr summary
// lines, the ssim filter's per-frame stats file, and ffprobe's colour tags. Each gets the whole
// input (the summaries line by line), as any of them may be fed another's text.
#include "bench/quality.h"
#include "fuzz_support.h"

#include <cmath>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const auto text = fuzz::as_text(data, size);
    std::size_t lines = 0;
    for (std::string_view rest = text; !rest.empty(); ++lines) {
        auto eol = rest.find('\n');
        const auto line = rest.substr(0, eol);
        rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
        if (auto ssim = bench::parse_ssim_all(line))
            fuzz::require(line.find(" All:") != std::string_view::npos);
        if (auto psnr = bench::parse_psnr_summary(line))
            fuzz::require(line.find(" average:") != std::string_view::npos);
    }
    const auto frames = bench::parse_ssim_stats(text);
    fuzz::require(frames.frames <= lines);
    fuzz::require(frames.frames > 0 || frames.worst == 1);
    const auto tags = bench::parse_colour_tags(text);
    // The tags become scale filter options: only its own names may come out.
    fuzz::require(tags.range == "tv" || tags.range == "pc");
    for (const char* matrix : {"bt709", "bt601", "smpte240m", "bt2020", "fcc"})
        if (tags.matrix == matrix)
            return 0;
    fuzz::require(false);
    return 0;
}
