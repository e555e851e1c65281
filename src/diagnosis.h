// Turns ffmpeg's last stderr lines into a one-line explanation and a next step, for the common
// ways an encode fails.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

// Empty when nothing recognisable was found.
std::string diagnose_ffmpeg_failure(const std::vector<std::string>& stderr_lines);

// True for a line saying the output could not be written completely. ffmpeg 5.1 logs "Error
// writing trailer of file:...: Input/output error" (or "File too large", ...) and still exits 0,
// so its status alone cannot be trusted.
bool is_output_write_error(std::string_view line);

} // namespace framepipe
