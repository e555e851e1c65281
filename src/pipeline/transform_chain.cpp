#include "pipeline/transform_chain.h"

#include "colormap/auto_range_feeder.h"
#include "colormap/colormap_transform.h"
#include "convert/yuv_transform.h"
#include "frame_geometry.h"

namespace framepipe {

const PixelFormat& transformed_format(const PixelFormat& input,
                                      const std::optional<ColormapSettings>& colormap) {
    // rgb24 rather than rgba: a quarter fewer bytes for the conversion or ffmpeg to read.
    return colormap ? parse_pixel_format("rgb24") : input;
}

std::unique_ptr<Feeder> transform_feeder(int input_fd, FrameSize size, const PixelFormat& input,
                                         const std::optional<ColormapSettings>& colormap,
                                         const std::optional<convert::YuvFormat>& yuv,
                                         const FrameFeederConfig& config,
                                         std::optional<ColormapStats>& colormap_stats) {
    if (!colormap && !yuv)
        return nullptr;
    auto start = [=, &colormap_stats](const AutoRangeFeeder::Found& found) {
        std::vector<std::unique_ptr<FrameTransform>> chain;
        if (colormap) {
            ColouringSetup setup;
            setup.map = colormap->map;
            setup.range = found.range;
            setup.nan_colour = colormap->nan_colour;
            setup.input = colormap->input;
            setup.output = RgbLayout::rgb24;
            chain.push_back(std::make_unique<ColormapTransform>(setup, size));
            if (!colormap_stats)
                colormap_stats.emplace();
            colormap_stats->lo = found.range.lo;
            colormap_stats->hi = found.range.hi;
            colormap_stats->range_frames = found.frames;
            colormap_stats->no_finite_values = found.no_finite_values;
        }
        if (yuv)
            chain.push_back(std::make_unique<convert::YuvTransform>(*yuv));
        return std::make_unique<FrameFeeder>(input_fd, std::move(chain), config);
    };
    if (colormap && colormap->range.automatic)
        return std::make_unique<AutoRangeFeeder>(input_fd, colormap->input,
                                                 frame_bytes(size, input), colormap->range.frames,
                                                 default_range(colormap->input), start);
    return start({colormap ? colormap->range.fixed : ValueRange{}, 0, false});
}

} // namespace framepipe
