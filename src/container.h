// Output containers framepipe knows, by file extension. ffmpeg is always told the muxer
// explicitly, because framepipe writes to a temporary name whose extension says nothing.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace framepipe {

struct Container {
    std::string_view extension; // lower case, without the dot
    std::string_view muxer;     // ffmpeg's -f name
    bool faststart;             // mp4-family: move the index to the front for web playback
};

std::span<const Container> containers();

// The container for an output path's extension (case-insensitive). Throws Error(usage) naming
// the path and listing the known extensions.
const Container& container_for(const std::filesystem::path& output);

std::string container_extensions(); // ".mp4, .mov, ..."

} // namespace framepipe
