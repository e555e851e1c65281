// Smooth pseudo-random noise for the texture half of the test pattern.
#pragma once

namespace framepipe::testsrc {

// Five octaves of value noise at (x, y), roughly 0..1; the same seed gives the same field.
double fractal(double x, double y, int seed);

} // namespace framepipe::testsrc
