// Builds ffmpeg's argument vector for a job. Pure: the same job always gives the same argv, which
// the golden tests pin down for every preset. Never a shell string.
#pragma once

#include "concat/segment_setup.h"
#include "container.h"
#include "frame_geometry.h"
#include "pixel_format.h"
#include "preset.h"
#include "rational.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

struct RawInput {
    FrameSize size;
    const PixelFormat* format = nullptr;
    Rational rate{30, 1};
    // A YUV4MPEG2 or PNM stream (src/streams/) names its pixels itself, in ffmpeg's words; then
    // `format` is unset. A PNG stream's frames are decoded by framepipe into a `format`.
    std::string stream_pix_fmt;
    // Whole PNG images that ffmpeg decodes (png_pipe): what the --dry-run command reads, to be
    // runnable on the same input. A run has framepipe decode them and clears this.
    bool png = false;
    // YUV input (YUV4MPEG2): the matrix ("bt601", "bt709") and range ("tv", "pc") it was made
    // with, so that ffmpeg converts from them rather than guessing. Empty for RGB and gray.
    std::string yuv_matrix;
    std::string yuv_range;
    // What a YUV4MPEG2 header says of its pictures, for the output to say it too
    // (picture_tags.h): the pixel aspect ratio; the field order, "tt" or "bb" (interlaced); the
    // chroma siting, "left", "center" or "topleft" as ffmpeg names it. Unset when unknown.
    std::optional<Rational> sample_aspect;
    std::string field_order;
    std::string chroma_location;
};

// Raw frames, as --size, --pix-fmt and --fps describe them.
inline RawInput raw_frames(FrameSize size, const PixelFormat* format, Rational rate) {
    RawInput in;
    in.size = size;
    in.format = format;
    in.rate = rate;
    return in;
}

// ffmpeg's name for the input's pixels.
std::string input_pix_fmt(const RawInput& in);

struct FfmpegJob {
    RawInput input;
    Preset preset;
    std::filesystem::path output; // the file ffmpeg writes (framepipe's temporary name when run)
    const Container* container = nullptr;
    bool overwrite = false;              // -y, else -n
    bool crash_safe = false;             // fragmented mp4/mov: playable up to a crash
    std::vector<std::string> extra_args; // after `--`: appended to the output options
    std::optional<int> progress_fd;      // -progress pipe:N, when framepipe reads it
    // framepipe converts the frames itself (src/convert/): ffmpeg reads the preset's pix_fmt at
    // the padded size, and only tags the frames.
    bool converted_input = false;
    std::optional<SegmentTag> segment; // --segment-start: set up to join with other segments
};

// The size the encoder sees: 4:2:0 and 4:2:2 need even dimensions, so odd ones grow by one pixel
// (padded with black at the right or bottom edge).
FrameSize encoded_size(FrameSize input, std::string_view pix_fmt);

// The filter chain: padding, BT.709 RGB-to-YUV conversion, then the preset's own filters.
// Empty when nothing needs doing.
std::string filter_chain(const FfmpegJob& job);

// Arguments after the program name.
std::vector<std::string> build_ffmpeg_args(const FfmpegJob& job);

// A one-frame test encode from a synthetic source to the null muxer, with the job's size,
// pixel format, rate, filters and encoder. Hardware encoders fail only when opened, which ffmpeg
// does after reading the first frame; running this first means no user frame is ever lost.
std::vector<std::string> build_encoder_probe_args(const FfmpegJob& job);

// "file:NAME", so names starting with '-' or holding ':' are never read as options or protocols.
std::string output_url(const std::filesystem::path& path);

} // namespace framepipe
