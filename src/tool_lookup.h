// Finding ffmpeg and ffprobe before anything is started, with a message that says how to point
// framepipe at them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace framepipe {

// The executable `program` names (looked up on PATH unless it holds a '/'). Throws
// Error(ffmpeg_unusable) naming `tool` ("ffmpeg") and how to choose another (`pointers`:
// "--ffmpeg or FRAMEPIPE_FFMPEG").
std::filesystem::path locate_tool(const std::string& program, std::string_view tool,
                                  std::string_view pointers);

} // namespace framepipe
