// A 5x7 bitmap font with just the characters the plot's labels use.
#pragma once

#include <cstdint>

namespace framepipe::testsrc {

// One byte a row, low 5 bits, leftmost pixel in bit 4.
struct Glyph {
    char c;
    std::uint8_t rows[7];
};

inline constexpr unsigned kGlyphWidth = 5, kGlyphHeight = 7, kGlyphAdvance = 6;

// nullptr for a space or a character the font lacks: those are left blank.
const Glyph* find_glyph(char c);

} // namespace framepipe::testsrc
