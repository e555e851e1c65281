#include "picture_tags.h"

namespace framepipe {

namespace {

struct ChromaPosition {
    int h, v; // where a chroma sample sits, in 1/256 of a luma sample (swscale's unit)
};

// ffmpeg's names, from the yuv4mpegpipe demuxer: 420jpeg centre, 420mpeg2 left, 420paldv top left.
std::optional<ChromaPosition> chroma_position(std::string_view location) {
    if (location == "center")
        return ChromaPosition{128, 128};
    if (location == "left")
        return ChromaPosition{0, 128};
    if (location == "topleft")
        return ChromaPosition{0, 0};
    return std::nullopt;
}

bool interlaced(const RawInput& in) {
    return in.field_order == "tt" || in.field_order == "bb";
}

// libx264 starts a stream with its default field order and only then follows the frames', which
// leaves the first frame (and ffprobe's stream field_order) saying top-first for a bottom-first
// input; its own tff/bff parameter sets it from the start.
void add_x264_field_order(std::vector<std::string>& preset_args, bool top_first) {
    const std::string param = top_first ? "tff=1" : "bff=1";
    for (std::size_t i = 0; i + 1 < preset_args.size(); ++i)
        if (preset_args[i] == "-x264-params") {
            preset_args[i + 1] += ":" + param;
            return;
        }
    preset_args.insert(preset_args.end(), {"-x264-params", param});
}

} // namespace

bool subsampled_horizontally(std::string_view f) {
    return f.find("420") != std::string_view::npos || f.find("422") != std::string_view::npos ||
           f.find("411") != std::string_view::npos || f == "nv12" || f == "nv21" || f == "nv16" ||
           f.starts_with("p010") || f.starts_with("p016");
}

bool subsampled_vertically(std::string_view f) {
    return f.find("420") != std::string_view::npos || f == "nv12" || f == "nv21" ||
           f.starts_with("p010") || f.starts_with("p016");
}

std::vector<std::string> picture_tag_filters(const RawInput& in) {
    std::vector<std::string> filters;
    if (in.sample_aspect)
        filters.push_back("setsar=" + std::to_string(in.sample_aspect->num) + "/" +
                          std::to_string(in.sample_aspect->den));
    if (interlaced(in))
        filters.push_back(in.field_order == "tt" ? "setfield=tff" : "setfield=bff");
    return filters;
}

std::string chroma_position_options(const RawInput& in, std::string_view output_pix_fmt) {
    const auto at = chroma_position(in.chroma_location);
    if (!at)
        return "";
    std::string options =
        "in_h_chr_pos=" + std::to_string(at->h) + ":in_v_chr_pos=" + std::to_string(at->v) + ":";
    if (subsampled_horizontally(output_pix_fmt))
        options += "out_h_chr_pos=" + std::to_string(at->h) + ":";
    if (subsampled_vertically(output_pix_fmt))
        options += "out_v_chr_pos=" + std::to_string(at->v) + ":";
    return options;
}

std::vector<std::string> picture_tag_options(const RawInput& in, std::string_view encoder,
                                             std::vector<std::string>& preset_args) {
    std::vector<std::string> options;
    if (interlaced(in)) {
        // Without it a container would get ffmpeg's own guess, "tb"/"bt", which Matroska
        // stores as the swapped field orders (9, 14), not as top or bottom first (1, 6).
        options.insert(options.end(), {"-field_order", in.field_order});
        if (encoder == "libx264" || encoder == "prores_ks")
            options.insert(options.end(), {"-flags", "+ildct"});
        if (encoder == "libx264")
            add_x264_field_order(preset_args, in.field_order == "tt");
    }
    return options;
}

std::vector<std::string> picture_tag_input_options(const RawInput& in,
                                                   std::string_view output_pix_fmt) {
    if (in.chroma_location.empty() || !subsampled_vertically(output_pix_fmt))
        return {};
    return {"-chroma_sample_location", in.chroma_location};
}

std::optional<std::string> field_order_warning(const RawInput& in, std::string_view encoder,
                                               const Container& container) {
    if (!interlaced(in))
        return std::nullopt;
    // Measured with ffmpeg 5.1 and ffprobe: these code the fields or flag the frames themselves;
    // Matroska stores the order for any codec, MP4 and MOV for any but H.264.
    const bool encoder_says = encoder == "libx264" || encoder == "prores_ks" || encoder == "ffv1";
    const bool container_says =
        container.muxer == "matroska" ||
        ((container.muxer == "mp4" || container.muxer == "mov") && !encoder.starts_with("h264"));
    if (encoder_says || container_says)
        return std::nullopt;
    return "the input is interlaced (" + std::string(in.field_order == "tt" ? "top" : "bottom") +
           " field first), but " + std::string(encoder) + " in ." +
           std::string(container.extension) +
           " cannot say so: players will show its frames as progressive, combed where things "
           "move; a libx264 preset or an .mkv output keeps the field order";
}

} // namespace framepipe
