#include "rational.h"

#include "error.h"

#include <charconv>
#include <numeric>

namespace framepipe {

namespace {

// Far above any real capture or display rate, and small enough that num/den never overflow.
constexpr std::int64_t kMaxRate = 10000;
constexpr std::int64_t kMaxTerm = 1'000'000'000;
// One frame every 1000 s. Far below it, mp4 cannot express the frame durations and ffmpeg fails
// only after reading the input (measured: 1/100000 does, 1/10000 still works).
constexpr std::int64_t kMinRateDenominator = 1000;

[[noreturn]] void bad_rate(std::string_view text, const std::string& why) {
    throw Error(ExitCode::usage, "invalid frame rate '" + std::string(text) + "': " + why);
}

std::int64_t parse_digits(std::string_view whole, std::string_view digits) {
    if (digits.empty())
        bad_rate(whole, "write a number such as 60, 29.97 or 30000/1001");
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc::result_out_of_range || (ec == std::errc() && v > kMaxTerm))
        bad_rate(whole, "the number is too large");
    if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.front() == '-' ||
        digits.front() == '+')
        bad_rate(whole, "write a number such as 60, 29.97 or 30000/1001");
    return v;
}

Rational reduce(Rational r) {
    auto g = std::gcd(r.num, r.den);
    return {r.num / g, r.den / g};
}

} // namespace

Rational parse_frame_rate(std::string_view text) {
    if (!text.empty() && text.front() == '-')
        bad_rate(text, "the rate must be positive");
    Rational r;
    if (auto slash = text.find('/'); slash != std::string_view::npos) {
        r.num = parse_digits(text, text.substr(0, slash));
        r.den = parse_digits(text, text.substr(slash + 1));
        if (r.den == 0)
            bad_rate(text, "the denominator is zero");
    } else if (auto dot = text.find('.'); dot != std::string_view::npos) {
        auto int_part = text.substr(0, dot);
        auto frac_part = text.substr(dot + 1);
        if (frac_part.size() > 6)
            bad_rate(text, "use at most 6 decimals, or a fraction such as 30000/1001");
        std::int64_t scale = 1;
        for (std::size_t i = 0; i < frac_part.size(); ++i)
            scale *= 10;
        auto i = int_part.empty() ? 0 : parse_digits(text, int_part);
        auto f = frac_part.empty() ? 0 : parse_digits(text, frac_part);
        if (int_part.empty() && frac_part.empty())
            bad_rate(text, "write a number such as 60, 29.97 or 30000/1001");
        if (i > kMaxRate)
            bad_rate(text, "the rate is above " + std::to_string(kMaxRate) + " frames a second");
        r = {i * scale + f, scale};
    } else {
        r = {parse_digits(text, text), 1};
    }
    if (r.num == 0)
        bad_rate(text, "the rate must be above zero");
    if (r.num > kMaxRate * r.den)
        bad_rate(text, "the rate is above " + std::to_string(kMaxRate) + " frames a second");
    // Both terms are at most kMaxTerm, so the product cannot overflow.
    if (r.num * kMinRateDenominator < r.den)
        bad_rate(text, "the rate is below 1/" + std::to_string(kMinRateDenominator) +
                           " frames a second (one frame every " +
                           std::to_string(kMinRateDenominator) + " s)");
    return reduce(r);
}

std::string to_string(Rational r) {
    if (r.den == 1)
        return std::to_string(r.num);
    return std::to_string(r.num) + "/" + std::to_string(r.den);
}

} // namespace framepipe
