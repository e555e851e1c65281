#include "bench/vmaf.h"

#include "bench/child_run.h"
#include "ffmpeg_filters.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace framepipe::bench {

namespace {

// parent[key], or null where parent is no object or lacks it: a log is outside input.
nlohmann::json member(const nlohmann::json& parent, const char* key) {
    if (!parent.is_object())
        return nullptr;
    auto it = parent.find(key);
    return it == parent.end() ? nlohmann::json(nullptr) : *it;
}

std::optional<double> number(const nlohmann::json& parent, const char* key) {
    auto value = member(parent, key);
    if (!value.is_number())
        return std::nullopt;
    return value.get<double>();
}

// Mean and worst of the frames' scores, for a log whose pooled metrics are missing.
std::optional<VmafScore> from_frames(const nlohmann::json& frames) {
    if (!frames.is_array())
        return std::nullopt;
    double sum = 0;
    std::size_t count = 0;
    VmafScore score;
    for (const auto& frame : frames) {
        if (auto v = number(member(frame, "metrics"), "vmaf")) {
            score.worst = count == 0 ? *v : std::min(score.worst, *v);
            sum += *v;
            ++count;
        }
    }
    if (count == 0)
        return std::nullopt;
    score.mean = sum / static_cast<double>(count);
    return score;
}

} // namespace

bool ffmpeg_has_libvmaf(const std::filesystem::path& ffmpeg,
                        const std::filesystem::path& work_dir) {
    auto filters =
        parse_filter_list(program_output(ffmpeg, {"-hide_banner", "-filters"}, work_dir));
    return filters && filters->contains("libvmaf");
}

std::string vmaf_filters(std::string_view main, std::string_view reference,
                         const std::filesystem::path& log, unsigned threads) {
    // libvmaf reads Y'CbCr only; both sides take the same conversion from RGB, so it adds no
    // difference of its own. The model scores luma, so 4:4:4 loses nothing to subsampling.
    return "[" + std::string(main) + "]format=yuv444p[vmaf_main];[" + std::string(reference) +
           "]format=yuv444p[vmaf_ref];[vmaf_main][vmaf_ref]libvmaf=log_fmt=json:log_path=" +
           log.string() + ":n_threads=" + std::to_string(std::max(1u, threads));
}

std::optional<VmafScore> parse_vmaf_log(std::string_view text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    auto frames = from_frames(member(j, "frames"));
    auto pooled = member(member(j, "pooled_metrics"), "vmaf");
    auto mean = number(pooled, "mean");
    auto worst = number(pooled, "min");
    if (mean && worst)
        return VmafScore{*mean, *worst};
    if (!frames)
        return std::nullopt;
    return VmafScore{mean.value_or(frames->mean), worst.value_or(frames->worst)};
}

} // namespace framepipe::bench
