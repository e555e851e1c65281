// Shared by the libFuzzer targets: an Error is a parser's documented answer to bad input, so it
// is caught; anything else escaping (another exception, a sanitizer report, a broken
// invariant) is a finding.
#pragma once

#include "error.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace framepipe::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Aborts, so libFuzzer records the input as a crash, when an invariant does not hold.
inline void require(bool condition) {
    if (!condition)
        std::abort();
}

// Runs f, treating a framepipe::Error as an accepted outcome.
template <typename F>
bool refused(F&& f) {
    try {
        f();
        return false;
    } catch (const Error&) {
        return true;
    }
}

} // namespace framepipe::fuzz
