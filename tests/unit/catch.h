// Catch2 as the unit tests use it, from either of the releases Debian ships: 2.13 (Debian 12,
// one header) or 3.x (Debian 13, split headers and a library). The tests spell the 2.x names
// (Catch::Contains, Approx); under 3.x they are mapped onto their new homes here, so no test file
// needs to know which Catch2 it was built with.
#pragma once

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#include <string>

namespace Catch {
// 3.x renamed the substring matcher (its Contains now matches ranges); StartsWith and EndsWith
// moved into Catch::Matchers, which 2.x also re-exported into Catch.
inline Matchers::StringContainsMatcher Contains(const std::string& text,
                                                CaseSensitive sensitivity = CaseSensitive::Yes) {
    return Matchers::ContainsSubstring(text, sensitivity);
}
using Matchers::EndsWith;
using Matchers::StartsWith;
} // namespace Catch
using Catch::Approx;
#else
#include <catch2/catch.hpp>
#endif
