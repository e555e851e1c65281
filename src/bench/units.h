// The numbers a user types for bench constraints: sizes such as 96MB, speeds such as 1x, SSIMs.
#pragma once

#include <cstdint>
#include <string_view>

namespace framepipe::bench {

// "96MB", "1.5GB", "800kB", "1000000" (bytes) -> bytes; decimal units (1 MB = 1000000 bytes, as
// file managers and the comparison's figures count), MiB/GiB/KiB binary. Throws Error(usage).
std::uint64_t parse_byte_size(std::string_view text);

// "1x", "0.5x", "2" -> times real time. Throws Error(usage).
double parse_speed(std::string_view text);

// --min-ssim: a number above 0 and at most 1, "0.98". Throws Error(usage).
double parse_min_ssim(std::string_view text);

} // namespace framepipe::bench
