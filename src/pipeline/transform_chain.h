// The frame transforms of a run, in order: the colormap (scalar values to 8-bit RGB), then
// framepipe's YUV conversion, each present only when the run needs it.
#pragma once

#include "colormap/colormap_options.h"
#include "convert/yuv_convert.h"
#include "pipeline/frame_feeder.h"
#include "run_stats.h"

#include <memory>
#include <optional>

namespace framepipe {

// What reaches the conversion and ffmpeg: the producer's frames, or the colormap's.
const PixelFormat& transformed_format(const PixelFormat& input,
                                      const std::optional<ColormapSettings>& colormap);

// A feeder running the chain on worker threads, or nullptr when there is nothing to run. With
// --range auto it holds the first frames until the range is known. `colormap_stats` gets the
// range once it is.
std::unique_ptr<Feeder> transform_feeder(int input_fd, FrameSize size, const PixelFormat& input,
                                         const std::optional<ColormapSettings>& colormap,
                                         const std::optional<convert::YuvFormat>& yuv,
                                         const FrameFeederConfig& config,
                                         std::optional<ColormapStats>& colormap_stats);

} // namespace framepipe
