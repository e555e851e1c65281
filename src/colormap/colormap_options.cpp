#include "colormap/colormap_options.h"

#include "error.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

namespace framepipe {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

[[noreturn]] void bad_range(std::string_view text, const std::string& why) {
    throw Error(ExitCode::usage, "invalid range '" + std::string(text) + "': " + why);
}

const std::string kRangeForms = "write LO:HI (e.g. 0:1 or -2.5:40), auto or auto:N";

double parse_limit(std::string_view whole, std::string_view part) {
    double value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec == std::errc::invalid_argument || end != part.data() + part.size())
        bad_range(whole, "'" + std::string(part) + "' is not a number; " + kRangeForms);
    if (ec == std::errc::result_out_of_range || !std::isfinite(value))
        bad_range(whole, "'" + std::string(part) + "' is not a finite number");
    return value;
}

RangeChoice parse_auto(std::string_view text) {
    RangeChoice choice;
    choice.automatic = true;
    choice.frames = 1;
    if (text == "auto")
        return choice;
    auto count = text.substr(5);
    unsigned frames = 0;
    auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), frames);
    if (ec != std::errc() || end != count.data() + count.size() || frames < 1 ||
        frames > RangeChoice::max_auto_frames)
        bad_range(text, "N in auto:N is the number of frames to take the range from, a whole "
                        "number from 1 to " +
                            std::to_string(RangeChoice::max_auto_frames));
    choice.frames = frames;
    return choice;
}

struct NamedColour {
    std::string_view name;
    Rgb rgb;
};

// The CSS values, which matplotlib also uses for these names.
constexpr std::array kNamedColours{
    NamedColour{"black", {0, 0, 0}},      NamedColour{"white", {255, 255, 255}},
    NamedColour{"gray", {128, 128, 128}}, NamedColour{"grey", {128, 128, 128}},
    NamedColour{"red", {255, 0, 0}},      NamedColour{"green", {0, 128, 0}},
    NamedColour{"blue", {0, 0, 255}},     NamedColour{"magenta", {255, 0, 255}},
    NamedColour{"cyan", {0, 255, 255}},   NamedColour{"yellow", {255, 255, 0}},
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<Rgb> parse_hex_colour(std::string_view text) {
    if (text.size() != 7 || text[0] != '#')
        return std::nullopt;
    std::array<std::uint8_t, 3> channels{};
    for (std::size_t i = 0; i < 3; ++i) {
        int high = hex_digit(text[1 + 2 * i]);
        int low = hex_digit(text[2 + 2 * i]);
        if (high < 0 || low < 0)
            return std::nullopt;
        channels[i] = static_cast<std::uint8_t>(high * 16 + low);
    }
    return Rgb{channels[0], channels[1], channels[2]};
}

} // namespace

std::string colormap_names() {
    std::string out;
    for (const auto& table : colormap_tables()) {
        if (!out.empty())
            out += ", ";
        out += table.name;
    }
    return out;
}

std::string colormap_listing() {
    std::size_t width = 0;
    for (const auto& table : colormap_tables())
        width = std::max(width, table.name.size());
    std::string out;
    for (const auto& table : colormap_tables()) {
        out += "  " + std::string(table.name) + std::string(width + 2 - table.name.size(), ' ');
        out += std::string(table.summary) + "\n";
    }
    return out;
}

const ColormapTable& find_colormap(std::string_view name) {
    auto tables = colormap_tables();
    auto it = std::find_if(tables.begin(), tables.end(),
                           [&](const ColormapTable& t) { return t.name == name; });
    if (it != tables.end())
        return *it;
    std::string message = "unknown colormap '" + std::string(name) + "'";
    auto cased = std::find_if(tables.begin(), tables.end(), [&](const ColormapTable& t) {
        return same_ignoring_case(t.name, name);
    });
    if (cased != tables.end())
        message += ": the names are case-sensitive, write '" + std::string(cased->name) + "'";
    else
        message += ": use one of " + colormap_names();
    throw Error(ExitCode::usage, message);
}

RangeChoice parse_range(std::string_view text) {
    if (text == "auto" || text.starts_with("auto:"))
        return parse_auto(text);
    // The separator is the colon after the first character, so a leading minus is a sign.
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        bad_range(text, kRangeForms);
    RangeChoice choice;
    choice.fixed.lo = parse_limit(text, text.substr(0, colon));
    choice.fixed.hi = parse_limit(text, text.substr(colon + 1));
    if (!(choice.fixed.lo < choice.fixed.hi))
        bad_range(text, "LO must be less than HI");
    if (auto problem = range_problem(choice.fixed); !problem.empty())
        bad_range(text, problem);
    return choice;
}

std::string range_problem(ValueRange range) {
    constexpr double float_max = std::numeric_limits<float>::max();
    if (!(std::abs(range.lo) <= float_max && std::abs(range.hi) <= float_max))
        return "the limits must lie within ±3.4e38, the range of 32-bit floats";
    if (range.lo == range.hi)
        return "";
    // matplotlib divides by HI - LO rounded to a 32-bit float (numpy 1.x); it must stay a
    // positive finite number or every value becomes infinite or NaN.
    float width = static_cast<float>(range.hi - range.lo);
    if (!(width > 0))
        return "HI - LO is too small for 32-bit floats";
    if (!std::isfinite(width))
        return "HI - LO is more than 32-bit floats can hold (3.4e38)";
    return "";
}

Rgb parse_nan_colour(std::string_view text) {
    if (auto rgb = parse_hex_colour(text))
        return *rgb;
    for (const auto& named : kNamedColours)
        if (same_ignoring_case(named.name, text))
            return named.rgb;
    std::string names;
    for (const auto& named : kNamedColours)
        names += (names.empty() ? "" : ", ") + std::string(named.name);
    throw Error(ExitCode::usage, "invalid NaN colour '" + std::string(text) +
                                     "': write #rrggbb (e.g. #ff00ff) or one of " + names);
}

ScalarFormat colormap_input_format(const PixelFormat& format) {
    if (format.name == "grayf32le")
        return ScalarFormat::grayf32le;
    if (format.name == "gray16le")
        return ScalarFormat::gray16le;
    if (format.name == "gray")
        return ScalarFormat::gray;
    throw Error(ExitCode::usage, "a colormap colours one value per pixel, not " +
                                     std::string(format.name) +
                                     " pixels: use --pix-fmt grayf32le, gray16le or gray");
}

ValueRange default_range(ScalarFormat format) {
    switch (format) {
    case ScalarFormat::gray:
        return {0, 255};
    case ScalarFormat::gray16le:
        return {0, 65535};
    case ScalarFormat::grayf32le:
        break;
    }
    return {0, 1};
}

void check_held_frames(unsigned frames, std::uint64_t frame_bytes) {
    if (frames <= 1 || frames * frame_bytes <= kMaxHeldBytes)
        return;
    throw Error(ExitCode::usage,
                "--range auto:" + std::to_string(frames) + " would hold " +
                    std::to_string(frames * frame_bytes >> 20) + " MiB of frames (" +
                    std::to_string(frame_bytes) + " bytes each) before colouring; at most " +
                    std::to_string(kMaxHeldBytes >> 20) + " MiB are held: use auto:" +
                    std::to_string(std::max<std::uint64_t>(kMaxHeldBytes / frame_bytes, 1)) +
                    " or fewer, or give --range LO:HI");
}

std::string range_text(ValueRange range) {
    auto limit = [](double v) {
        char text[32];
        for (int digits = 6; digits < 17; ++digits) {
            std::snprintf(text, sizeof text, "%.*g", digits, v);
            if (static_cast<float>(std::strtod(text, nullptr)) == static_cast<float>(v))
                break;
        }
        return std::string(text);
    };
    return limit(range.lo) + ":" + limit(range.hi);
}

} // namespace framepipe
