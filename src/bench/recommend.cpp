#include "bench/recommend.h"

#include "bench/table.h"

namespace framepipe::bench {

bool has_constraints(const Constraints& c) {
    return c.max_bytes_per_minute || c.min_speed || c.min_ssim || c.web;
}

std::string describe_constraints(const Constraints& c) {
    std::string s;
    auto add = [&](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
    if (c.max_bytes_per_minute)
        add("--max-size " + format_general(static_cast<double>(*c.max_bytes_per_minute) / 1e6) +
            " MB/min");
    if (c.min_speed)
        add("--min-speed " + format_general(*c.min_speed) + "x");
    if (c.min_ssim)
        add("--min-ssim " + format_general(*c.min_ssim));
    if (c.web)
        add("--web");
    return s;
}

std::vector<std::string> failed_constraints(const PresetResult& r, const Constraints& c) {
    if (r.outcome != Outcome::encoded || !r.quality)
        return {r.outcome == Outcome::unavailable ? "unavailable" : "failed"};
    std::vector<std::string> failed;
    if (c.max_bytes_per_minute &&
        r.bytes_per_minute() > static_cast<double>(*c.max_bytes_per_minute))
        failed.push_back("size " + format_mb(r.bytes_per_minute()) + "/min > --max-size " +
                         format_general(static_cast<double>(*c.max_bytes_per_minute) / 1e6) +
                         " MB");
    if (c.min_speed && r.speed() < *c.min_speed)
        failed.push_back("speed " + format_fixed(r.speed(), 2) + "x < --min-speed " +
                         format_general(*c.min_speed) + "x");
    if (c.min_ssim && r.quality->ssim_mean < *c.min_ssim)
        failed.push_back("SSIM " + format_fixed(r.quality->ssim_mean, 6) + " < --min-ssim " +
                         format_general(*c.min_ssim));
    if (c.web && !r.web)
        failed.push_back("does not play in browsers (--web)");
    return failed;
}

std::optional<std::size_t> recommend(const std::vector<PresetResult>& results,
                                     const Constraints& c) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < results.size(); ++i)
        if (failed_constraints(results[i], c).empty() &&
            (!best || results[i].bytes < results[*best].bytes))
            best = i;
    return best;
}

} // namespace framepipe::bench
