// VMAF, the extra quality column of `framepipe bench` where this ffmpeg has the libvmaf filter
// (Debian's has not: it is not packaged there). Measured in the same ffmpeg run as SSIM and PSNR,
// on the same decoded RGB frames, each side converted to the same Y'CbCr 4:4:4 that libvmaf reads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe::bench {

// What the report and --json say when there is no VMAF column.
inline constexpr std::string_view kVmafUnavailable = "unavailable (this ffmpeg has no libvmaf)";

// Asks `ffmpeg -hide_banner -filters`. False when libvmaf is not listed, or ffmpeg's answer cannot
// be read (then there is no column, as for an ffmpeg without it).
bool ffmpeg_has_libvmaf(const std::filesystem::path& ffmpeg, const std::filesystem::path& work_dir);

// The filtergraph part that scores `[main]` against `[reference]` (gbrp frames, aligned by index)
// with libvmaf's default model, writing its per-frame JSON log to `log`.
std::string vmaf_filters(std::string_view main, std::string_view reference,
                         const std::filesystem::path& log, unsigned threads);

struct VmafScore {
    double mean = 0;
    double worst = 0; // the worst frame's
};

// libvmaf's JSON log: pooled_metrics.vmaf.mean and .min, or, where a pool is missing or null,
// computed from the frames' metrics.vmaf. Nothing when neither gives a number.
std::optional<VmafScore> parse_vmaf_log(std::string_view json_text);

} // namespace framepipe::bench
