#include "colormap/range_tracker.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace framepipe {

namespace {

struct MinMax {
    float lo = std::numeric_limits<float>::infinity();
    float hi = -std::numeric_limits<float>::infinity();
};

// Infinities are skipped with NaN: the comparisons below are false for NaN, and a finite check
// keeps ±inf out of the range.
MinMax float_min_max(std::span<const std::byte> bytes) {
    MinMax m;
    for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, bytes.data() + i, 4);
        if constexpr (std::endian::native == std::endian::big)
            bits = (bits >> 24) | ((bits >> 8) & 0xff00) | ((bits << 8) & 0xff0000) | (bits << 24);
        if ((bits & 0x7f800000u) == 0x7f800000u)
            continue;
        float v = std::bit_cast<float>(bits);
        m.lo = std::min(m.lo, v);
        m.hi = std::max(m.hi, v);
    }
    return m;
}

template <typename T>
MinMax integer_min_max(std::span<const std::byte> bytes) {
    T lo = std::numeric_limits<T>::max();
    T hi = 0;
    for (std::size_t i = 0; i + sizeof(T) <= bytes.size(); i += sizeof(T)) {
        T v = 0;
        std::memcpy(&v, bytes.data() + i, sizeof(T));
        if constexpr (sizeof(T) == 2 && std::endian::native == std::endian::big)
            v = static_cast<T>((v >> 8) | (v << 8));
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (bytes.size() < sizeof(T))
        return {};
    return {static_cast<float>(lo), static_cast<float>(hi)};
}

} // namespace

RangeTracker::RangeTracker(ScalarFormat format, unsigned frames_wanted)
    : format_(format), frames_wanted_(frames_wanted) {}

void RangeTracker::add(std::span<const std::byte> pixels) {
    MinMax m;
    switch (format_) {
    case ScalarFormat::grayf32le:
        m = float_min_max(pixels);
        break;
    case ScalarFormat::gray16le:
        m = integer_min_max<std::uint16_t>(pixels);
        break;
    case ScalarFormat::gray:
        m = integer_min_max<std::uint8_t>(pixels);
        break;
    }
    if (!(m.lo <= m.hi))
        return;
    lo_ = any_ ? std::min(lo_, double{m.lo}) : m.lo;
    hi_ = any_ ? std::max(hi_, double{m.hi}) : m.hi;
    any_ = true;
}

std::optional<ValueRange> RangeTracker::range() const {
    if (!any_)
        return std::nullopt;
    return ValueRange{lo_, hi_};
}

} // namespace framepipe
