// Building MP4/MOV boxes byte by byte in the tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace framepipe::testing {

// `value` as `width` big-endian bytes.
inline std::string be(std::uint64_t value, int width) {
    std::string out;
    for (int i = width - 1; i >= 0; --i)
        out.push_back(static_cast<char>(value >> (8 * i) & 0xff));
    return out;
}

inline std::string box(std::string_view type, const std::string& payload) {
    return be(8 + payload.size(), 4) + std::string(type) + payload;
}

// A full box's version 0 and no flags.
inline const std::string kVersionFlags = be(0, 4);

} // namespace framepipe::testing
