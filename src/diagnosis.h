// Turns ffmpeg's last stderr lines into a one-line explanation and a next step, for the common
// ways an encode fails.
#pragma once

#include <string>
#include <vector>

namespace framepipe {

// Empty when nothing recognisable was found.
std::string diagnose_ffmpeg_failure(const std::vector<std::string>& stderr_lines);

} // namespace framepipe
