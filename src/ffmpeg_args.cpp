#include "ffmpeg_args.h"

#include "picture_tags.h"

namespace framepipe {

namespace {

void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

// Encoder, colour tags and container options shared by the real run and the probe.
void append_encoder_options(std::vector<std::string>& a, const FfmpegJob& job) {
    if (auto chain = filter_chain(job); !chain.empty())
        append(a, {"-vf", chain});
    append(a, {"-c:v", job.preset.encoder});
    std::vector<std::string> preset_args = job.preset.args;
    const auto tags = picture_tag_options(job.input, job.preset.encoder, preset_args);
    append(a, preset_args);
    append(a, tags);
    // When the preset's own filters end the chain (palettes, hardware upload) they decide the final
    // format; otherwise state it, so ffmpeg never picks one the browser refuses (yuv444p).
    if (job.preset.filters.empty())
        append(a, {"-pix_fmt", job.preset.pix_fmt});
    if (is_yuv_format(job.preset.pix_fmt))
        append(a, {"-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
                   "-color_range", job.preset.color_range});
}

void append_input(std::vector<std::string>& a, const FfmpegJob& job) {
    append(a, job.preset.input_args);
    if (job.input.png) {
        append(a, {"-f", "png_pipe", "-framerate", to_string(job.input.rate), "-i", "-"});
        return;
    }
    const bool yuv = job.converted_input;
    append(a, picture_tag_input_options(job.input, job.preset.pix_fmt));
    append(a,
           {"-f", "rawvideo", "-pix_fmt", yuv ? job.preset.pix_fmt : input_pix_fmt(job.input), "-s",
            to_string(yuv ? encoded_size(job.input.size, job.preset.pix_fmt) : job.input.size),
            "-r", to_string(job.input.rate), "-i", "-"});
}

// YUV input is read with the matrix and range it was made with (ffmpeg would assume BT.601 and
// limited range for rawvideo): the start of a scale filter's options.
std::string yuv_input_scale(const RawInput& in, std::string_view output_pix_fmt) {
    if (in.yuv_matrix.empty())
        return "scale=";
    return "scale=in_color_matrix=" + in.yuv_matrix + ":in_range=" + in.yuv_range + ":" +
           chroma_position_options(in, output_pix_fmt);
}

// A segment's encoder options differ from the preset's own (segment_setup.h); the probe must test
// the encoder exactly as the run will open it.
FfmpegJob with_segment_setup(FfmpegJob job) {
    if (job.segment)
        job.preset = segment_preset(std::move(job.preset));
    return job;
}

} // namespace

std::string input_pix_fmt(const RawInput& in) {
    return in.format ? std::string(in.format->ffmpeg_name) : in.stream_pix_fmt;
}

FrameSize encoded_size(FrameSize input, std::string_view pix_fmt) {
    FrameSize out = input;
    if (subsampled_horizontally(pix_fmt) && out.width % 2 != 0)
        ++out.width;
    if (subsampled_vertically(pix_fmt) && out.height % 2 != 0)
        ++out.height;
    return out;
}

std::string filter_chain(const FfmpegJob& job) {
    std::vector<std::string> filters = picture_tag_filters(job.input);
    auto padded = encoded_size(job.input.size, job.preset.pix_fmt);
    if (padded != job.input.size && !job.converted_input)
        filters.push_back("pad=" + std::to_string(padded.width) + ":" +
                          std::to_string(padded.height));
    if (is_yuv_format(job.preset.pix_fmt)) {
        // ffmpeg converts RGB with the BT.601 matrix unless told otherwise, while every player
        // decodes HD with BT.709: convert with the matrix the stream is tagged with.
        // accurate_rnd also keeps swscale off its bgr24-to-yuv420p shortcut, which ignores the
        // requested matrix (measured: green 0,200,60 came back as 0,198,57 from bgr24 input).
        if (!job.converted_input) {
            filters.push_back(yuv_input_scale(job.input, job.preset.pix_fmt) +
                              "out_color_matrix=bt709:out_range=" + job.preset.color_range +
                              ":flags=accurate_rnd");
            filters.push_back("format=" + job.preset.pix_fmt);
        }
        // The -color_* options tag the stream, but some encoders (prores_ks) write each frame's
        // own fields instead, which scale leaves unset: the frames must say it too.
        filters.push_back(
            "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=" +
            job.preset.color_range);
    } else if (!job.input.yuv_matrix.empty())
        filters.push_back(yuv_input_scale(job.input, job.preset.pix_fmt) + "flags=accurate_rnd");
    append(filters, job.preset.filters);
    std::string chain;
    for (const auto& f : filters) {
        if (!chain.empty())
            chain += ',';
        chain += f;
    }
    return chain;
}

std::string output_url(const std::filesystem::path& path) {
    return "file:" + path.string();
}

std::vector<std::string> build_ffmpeg_args(const FfmpegJob& segmentless_job) {
    const FfmpegJob job = with_segment_setup(segmentless_job);
    // The banner stays on (no -hide_banner): framepipe reads ffmpeg's version from it instead of
    // paying for a separate `ffmpeg -version` run. "level+" tags every line with its severity, so
    // a failure report can show ffmpeg's errors rather than its statistics.
    std::vector<std::string> a{"-nostdin", "-loglevel", "level+info", "-nostats"};
    if (job.progress_fd)
        append(a,
               {"-progress", "pipe:" + std::to_string(*job.progress_fd), "-stats_period", "0.25"});
    a.push_back(job.overwrite ? "-y" : "-n");
    append_input(a, job);
    append_encoder_options(a, job);
    if (job.container->faststart) {
        // A fragment at least every second: a killed ffmpeg loses at most about a second, at
        // the price of a slightly larger file and no index up front.
        if (job.crash_safe)
            append(a, {"-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration",
                       "1000000", "-flush_packets", "1"});
        else
            append(a, {"-movflags", "+faststart"});
    }
    if (job.segment)
        append(a, segment_muxer_args(*job.container, *job.segment));
    append(a, job.extra_args);
    append(a, {"-f", std::string(job.container->muxer), output_url(job.output)});
    return a;
}

std::vector<std::string> build_encoder_probe_args(const FfmpegJob& segmentless_job) {
    const FfmpegJob job = with_segment_setup(segmentless_job);
    std::vector<std::string> a{"-hide_banner", "-nostdin", "-loglevel", "error"};
    append(a, job.preset.input_args);
    append(a, {"-f", "lavfi", "-i",
               "color=c=gray:s=" + to_string(job.input.size) + ":r=" + to_string(job.input.rate) +
                   ",format=" + input_pix_fmt(job.input),
               "-frames:v", "1"});
    append_encoder_options(a, job);
    append(a, {"-f", "null", "-"});
    return a;
}

} // namespace framepipe
