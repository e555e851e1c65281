// Command-line value parsing: sizes, rates, pixel formats, and the frame byte arithmetic.
#include "error.h"
#include "ffmpeg_version.h"
#include "frame_geometry.h"
#include "pixel_format.h"
#include "rational.h"

#include "catch.h"

using namespace framepipe;

TEST_CASE("frame sizes parse as WIDTHxHEIGHT") {
    CHECK(parse_frame_size("1280x720") == FrameSize{1280, 720});
    CHECK(parse_frame_size("1X1") == FrameSize{1, 1});
    CHECK(parse_frame_size("301x201") == FrameSize{301, 201});
    CHECK(parse_frame_size("65535x2") == FrameSize{65535, 2});
}

TEST_CASE("bad frame sizes are refused with the value quoted") {
    CHECK_THROWS_WITH(parse_frame_size("1280"),
                      "invalid frame size '1280': write it as WIDTHxHEIGHT, e.g. 1280x720");
    CHECK_THROWS_WITH(parse_frame_size("0x720"),
                      "invalid frame size '0x720': the width must be at least 1");
    CHECK_THROWS_WITH(parse_frame_size("1280x0"),
                      "invalid frame size '1280x0': the height must be at least 1");
    CHECK_THROWS_WITH(parse_frame_size("-1280x720"),
                      "invalid frame size '-1280x720': the width is negative");
    CHECK_THROWS_WITH(parse_frame_size("1280x-7"),
                      "invalid frame size '1280x-7': the height is negative");
    CHECK_THROWS_WITH(parse_frame_size("12a0x720"),
                      "invalid frame size '12a0x720': the width '12a0' is not a whole number; "
                      "write WIDTHxHEIGHT, e.g. 1280x720");
    CHECK_THROWS_WITH(
        parse_frame_size("x720"),
        "invalid frame size 'x720': the width is missing; write it as WIDTHxHEIGHT, e.g. 1280x720");
    CHECK_THROWS_WITH(parse_frame_size("70000x10"),
                      "invalid frame size '70000x10': the width is too large (at most 65535)");
    CHECK_THROWS_WITH(
        parse_frame_size("99999999999999999999999x1"),
        "invalid frame size '99999999999999999999999x1': the width is too large (at most 65535)");
    CHECK_THROWS_WITH(parse_frame_size("1280x720x3"),
                      "invalid frame size '1280x720x3': the height '720x3' is not a whole number; "
                      "write WIDTHxHEIGHT, e.g. 1280x720");
    try {
        parse_frame_size("");
        FAIL("an empty size was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
    }
}

TEST_CASE("frame byte counts follow the pixel format, and overflow is refused") {
    CHECK(frame_bytes({1280, 720}, parse_pixel_format("rgba")) == 3686400);
    CHECK(frame_bytes({1280, 720}, parse_pixel_format("rgb24")) == 2764800);
    CHECK(frame_bytes({1280, 720}, parse_pixel_format("gray")) == 921600);
    CHECK(frame_bytes({1280, 720}, parse_pixel_format("gray16le")) == 1843200);
    CHECK(frame_bytes({1280, 720}, parse_pixel_format("rgb48le")) == 5529600);
    CHECK(frame_bytes({301, 201}, parse_pixel_format("bgr24")) == 181503);
    CHECK(frame_bytes({46340, 46340}, parse_pixel_format("gray")) ==
          2147395600); // just under the limit
    CHECK_THROWS_AS(frame_bytes({65535, 65535}, parse_pixel_format("gray")), Error);
    CHECK_THROWS_WITH(frame_bytes({65535, 65535}, parse_pixel_format("rgba64le")),
                      "frame size 65535x65535 in rgba64le is 34358689800 bytes a frame, more than "
                      "ffmpeg can read (2147483647)");
}

TEST_CASE("frame positions split a byte count into whole frames and leftovers") {
    CHECK(frame_position(0, 100).whole_frames == 0);
    auto p = frame_position(1050, 100);
    CHECK(p.whole_frames == 10);
    CHECK(p.leftover_bytes == 50);
    CHECK(frame_position(230400 * 10 + 1000, 230400).leftover_bytes == 1000);
}

TEST_CASE("pixel formats: the table gives ffmpeg's name and bytes per pixel") {
    for (auto name : {"rgba", "argb", "bgra", "abgr", "rgb24", "bgr24", "gray", "gray16le",
                      "rgb48le", "grayf32le"}) {
        const auto& f = parse_pixel_format(name);
        CHECK(f.name == name);
        CHECK(f.bytes_per_pixel >= 1);
    }
    CHECK(parse_pixel_format("argb").bytes_per_pixel == 4);
    CHECK(parse_pixel_format("rgb48le").bytes_per_pixel == 6);
    CHECK(parse_pixel_format("grayf32le").ffmpeg_name == "grayf32le");
    CHECK_THROWS_WITH(parse_pixel_format("RGBA"),
                      "unknown pixel format 'RGBA': use one of " + pixel_format_names());
    CHECK_THROWS_WITH(parse_pixel_format("yuv420p"), Catch::Contains("rgba, argb, bgra, abgr"));
}

TEST_CASE("frame rates: integers, decimals and rationals, kept exact") {
    CHECK(parse_frame_rate("60") == Rational{60, 1});
    CHECK(parse_frame_rate("29.97") == Rational{2997, 100});
    CHECK(parse_frame_rate("30000/1001") == Rational{30000, 1001});
    CHECK(parse_frame_rate("60/2") == Rational{30, 1});
    CHECK(parse_frame_rate("23.976") == Rational{2997, 125});
    CHECK(parse_frame_rate("0.5") == Rational{1, 2});
    CHECK(to_string(parse_frame_rate("30000/1001")) == "30000/1001");
    CHECK(to_string(parse_frame_rate("25.0")) == "25");
}

TEST_CASE("bad frame rates are refused with the value quoted") {
    CHECK_THROWS_WITH(parse_frame_rate("0"), "invalid frame rate '0': the rate must be above zero");
    CHECK_THROWS_WITH(parse_frame_rate("-30"),
                      "invalid frame rate '-30': the rate must be positive");
    CHECK_THROWS_WITH(parse_frame_rate("30/0"),
                      "invalid frame rate '30/0': the denominator is zero");
    CHECK_THROWS_WITH(parse_frame_rate("fast"),
                      "invalid frame rate 'fast': write a number such as 60, 29.97 or 30000/1001");
    CHECK_THROWS_WITH(parse_frame_rate(""),
                      "invalid frame rate '': write a number such as 60, 29.97 or 30000/1001");
    CHECK_THROWS_WITH(parse_frame_rate("30fps"),
                      "invalid frame rate '30fps': write a number such as 60, 29.97 or 30000/1001");
    CHECK_THROWS_WITH(parse_frame_rate("1e3"),
                      "invalid frame rate '1e3': write a number such as 60, 29.97 or 30000/1001");
    CHECK_THROWS_WITH(parse_frame_rate("20000"),
                      "invalid frame rate '20000': the rate is above 10000 frames a second");
    CHECK_THROWS_WITH(
        parse_frame_rate("1/100000"),
        "invalid frame rate '1/100000': the rate is below 1/1000 frames a second (one "
        "frame every 1000 s)");
    CHECK_THROWS_WITH(parse_frame_rate("0.000999"), Catch::Contains("the rate is below 1/1000"));
    CHECK(parse_frame_rate("1/1000") == Rational{1, 1000});
    CHECK(parse_frame_rate("0.001") == Rational{1, 1000});
    CHECK_THROWS_WITH(parse_frame_rate("nan"), Catch::StartsWith("invalid frame rate 'nan'"));
    CHECK_THROWS_WITH(parse_frame_rate("29.9700001"), Catch::Contains("at most 6 decimals"));
}

TEST_CASE("ffmpeg banners: the Debian 12 and 13 releases pass, anything before 5.1 is refused") {
    // The first stderr line of each release, as run with -loglevel level+info.
    auto deb12 = parse_ffmpeg_banner(
        "[info] ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers");
    REQUIRE(deb12);
    CHECK(*deb12 == Version{5, 1});
    auto deb13 = parse_ffmpeg_banner(
        "ffmpeg version 7.1.5-0+deb13u1 Copyright (c) 2000-2026 the FFmpeg developers");
    REQUIRE(deb13);
    CHECK(*deb13 == Version{7, 1});
    CHECK_FALSE(check_ffmpeg_banner("ffmpeg version 5.1.9-0+deb12u1 Copyright", "ffmpeg"));
    CHECK_FALSE(check_ffmpeg_banner("[info] ffmpeg version 7.1.5-0+deb13u1 Copyright", "ffmpeg"));
    CHECK_FALSE(check_ffmpeg_banner("ffmpeg version n8.0 Copyright", "ffmpeg"));
    // Development builds carry no release number: let through, not refused on a guess.
    CHECK_FALSE(check_ffmpeg_banner("ffmpeg version N-113745-g1a2b3c Copyright", "ffmpeg"));
    CHECK(check_ffmpeg_banner("ffmpeg version 5.0.3 Copyright", "/opt/ff") ==
          std::optional<std::string>("'/opt/ff' is ffmpeg 5.0, but framepipe needs 5.1 or newer: "
                                     "install a newer ffmpeg (apt-get install ffmpeg)"));
    CHECK(check_ffmpeg_banner("ffmpeg version 4.4.2 Copyright", "ffmpeg").has_value());
}
