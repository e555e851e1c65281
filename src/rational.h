// Exact frame rates. 29.97 and 30000/1001 are different rates, and timestamps drift if a
// decimal is rounded through a double, so rates are kept as reduced fractions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace framepipe {

struct Rational {
    std::int64_t num = 0;
    std::int64_t den = 1;
    double value() const { return static_cast<double>(num) / static_cast<double>(den); }
    bool operator==(const Rational&) const = default;
};

// Accepts "60", "29.97", "30000/1001". Throws Error(usage) quoting the value otherwise.
Rational parse_frame_rate(std::string_view text);

// "60" for whole rates, "30000/1001" otherwise: a form ffmpeg's -r accepts exactly.
std::string to_string(Rational r);

} // namespace framepipe
