#include "noise.h"

#include <cmath>
#include <cstdint>

namespace framepipe::testsrc {

namespace {

double hash2(int x, int y, int seed) {
    // Unsigned arithmetic: the wrap-around is the point of a hash, and signed overflow is UB.
    auto h = static_cast<std::uint32_t>(x) * 374761393u +
             static_cast<std::uint32_t>(y) * 668265263u +
             static_cast<std::uint32_t>(seed) * 1442695041u;
    h = (h ^ (h >> 13)) * 1274126177u;
    h ^= h >> 16;
    return static_cast<double>(h & 0xffffff) / static_cast<double>(0xffffff);
}

double value_noise(double x, double y, int seed) {
    int xi = static_cast<int>(std::floor(x)), yi = static_cast<int>(std::floor(y));
    double fx = x - xi, fy = y - yi;
    double sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    double a = hash2(xi, yi, seed), b = hash2(xi + 1, yi, seed);
    double c = hash2(xi, yi + 1, seed), d = hash2(xi + 1, yi + 1, seed);
    return (a + (b - a) * sx) + ((c + (d - c) * sx) - (a + (b - a) * sx)) * sy;
}

} // namespace

double fractal(double x, double y, int seed) {
    double sum = 0, amp = 0.5, freq = 1;
    for (int o = 0; o < 5; ++o) {
        sum += amp * value_noise(x * freq, y * freq, seed + o);
        amp *= 0.5;
        freq *= 2.03;
    }
    return sum;
}

} // namespace framepipe::testsrc
