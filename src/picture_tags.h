// What a YUV4MPEG2 header says of its pictures beyond the pixels (yuv4mpeg(5): A, the pixel
// aspect ratio; I, the interlacing; the chroma siting its C colourspace implies), turned into
// ffmpeg options so that the output says the same. ffmpeg's rawvideo input knows none of it, and
// without them the output would claim square pixels, progressive frames and the encoder's default
// chroma siting (left, for H.264), whatever the stream said.
#pragma once

#include "container.h"
#include "ffmpeg_args.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

// Filters that go first in the chain: setsar (the pixel aspect), setfield (the frames are
// interlaced, in this field order), so that every filter and the encoder see it.
std::vector<std::string> picture_tag_filters(const RawInput& in);

// Options for the `scale` filter's chroma positions ("in_h_chr_pos=0:in_v_chr_pos=128:" ...),
// so that chroma is resampled from where the input's samples are, and, in a direction where the
// output is subsampled too, left where it was. Empty when the input's siting is unknown.
std::string chroma_position_options(const RawInput& in, std::string_view output_pix_fmt);

// Output options: the field order (-field_order, and interlaced coding for the encoders that
// have it: libx264, prores_ks). `preset_args` are the preset's own: a libx264 field order joins
// their -x264-params.
std::vector<std::string> picture_tag_options(const RawInput& in, std::string_view encoder,
                                             std::vector<std::string>& preset_args);

// Input options: the chroma siting (-chroma_sample_location, for 4:2:0 output). Given to the
// rawvideo decoder, it rides on every frame to the encoder; ffmpeg 7 takes an encoder's siting
// from the frames and ignores the output option, while 5.1 honours either.
std::vector<std::string> picture_tag_input_options(const RawInput& in,
                                                   std::string_view output_pix_fmt);

// A warning when the input is interlaced but neither the encoder nor the container can record
// it, so the video will play as progressive frames.
std::optional<std::string> field_order_warning(const RawInput& in, std::string_view encoder,
                                               const Container& container);

// Whether an ffmpeg pixel format subsamples chroma across (4:2:0, 4:2:2, 4:1:1) and down (4:2:0).
bool subsampled_horizontally(std::string_view pix_fmt);
bool subsampled_vertically(std::string_view pix_fmt);

} // namespace framepipe
