// Quality against the source, measured in RGB as a viewer sees it: each output decoded with the
// matrix and range it is tagged with, compared frame by frame (aligned by index, not timestamp)
// with ffmpeg's ssim and psnr filters in one run.
#pragma once

#include "bench/capture.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe::bench {

// How an output's pixels are turned back into RGB: from its stream tags.
struct ColourTags {
    bool yuv = false;
    std::string matrix = "bt709"; // scale filter's in_color_matrix
    std::string range = "tv";     // scale filter's in_range
};

// ffprobe's "key=value" lines (color_space, color_range, pix_fmt) -> how to decode. Untagged YUV
// is decoded as BT.601 limited range, as ffmpeg and most players do.
ColourTags parse_colour_tags(std::string_view ffprobe_output);

struct Quality {
    double ssim_mean = 0, ssim_worst = 0;
    double psnr_mean = 0, psnr_worst = 0; // infinity when identical
    std::uint64_t frames_compared = 0;
    std::string decoded_as;                      // "bt709 tv", or "rgb"
    std::optional<double> vmaf_mean, vmaf_worst; // where this ffmpeg has libvmaf
};

// Where the per-frame logs go: ssim's lines, and libvmaf's JSON when VMAF is measured.
struct QualityLogs {
    std::filesystem::path ssim_stats;
    std::optional<std::filesystem::path> vmaf_log;
    unsigned vmaf_threads = 1;
};

// The ffmpeg arguments comparing `output` (cropped to the source size, as framepipe pads odd
// sizes) to the captured source: SSIM, PSNR and, given a vmaf_log, VMAF, all in one decode.
std::vector<std::string> quality_args(const Captured& source, const std::filesystem::path& output,
                                      const ColourTags& tags, const QualityLogs& logs);

// ffmpeg's closing log lines of the two filters, the same in 5.1 and 7.1:
//   [Parsed_ssim_8 @ 0x..] SSIM R:0.67 (4.94) G:0.87 (9.12) B:0.68 (5.06) All:0.748475 (5.99)
//   [Parsed_psnr_9 @ 0x..] PSNR r:24.8 g:33.4 b:26.8 average:27.138685 min:26.862 max:27.58
// The mean SSIM is All; the PSNR mean is ffmpeg's average (of the mean squared error over all
// frames, so one perfect frame does not make the mean infinite) and the worst is its min.
std::optional<double> parse_ssim_all(std::string_view line);
struct PsnrSummary {
    double average = 0, min = 0;
};
std::optional<PsnrSummary> parse_psnr_summary(std::string_view line);

// The ssim filter's stats_file ("n:1 R:.. G:.. B:.. All:0.752951 (6.07)" per frame): the worst
// frame's All and the number of frames.
struct SsimFrames {
    double worst = 1;
    std::uint64_t frames = 0;
};
SsimFrames parse_ssim_stats(std::string_view text);

// Runs ffprobe and ffmpeg; VMAF too when `vmaf` (this ffmpeg has libvmaf). Throws
// Error(ffmpeg_failed) with ffmpeg's words when they fail.
Quality measure_quality(const std::filesystem::path& ffmpeg, const Captured& source,
                        const std::filesystem::path& output, const std::filesystem::path& work_dir,
                        bool vmaf);

} // namespace framepipe::bench
