// Small text helpers shared by the header parsers of the frame stream formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

// A plain decimal number (digits only: no sign, no spaces) of at most `max`; nothing otherwise.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max);

// The space-separated fields of a header line, empty ones (double spaces) skipped.
std::vector<std::string_view> split_fields(std::string_view line);

// Bytes of a stream quoted for a message: "FRAM\x00" style, at most the first 16 bytes.
std::string quote_bytes(std::string_view bytes);

} // namespace framepipe
