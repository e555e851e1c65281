// The colormap module: names, option values, and colours checked against values matplotlib
// 3.6.3 printed for the same inputs (cmap(Normalize(lo, hi)(masked_invalid(v)), bytes=True));
// tests/integration/test_colormap_matplotlib.py compares every map with matplotlib at run time.
#include "colormap/colorizer.h"
#include "colormap/colormap_options.h"
#include "colormap/range_tracker.h"
#include "error.h"

#include "catch.h"

#include <bit>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace framepipe;

namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

template <typename T>
std::vector<std::byte> bytes_of(const std::vector<T>& values) {
    std::vector<std::byte> out(values.size() * sizeof(T));
    std::memcpy(out.data(), values.data(), out.size());
    return out;
}

template <typename T>
std::vector<Rgb> colour(const ColouringSetup& setup, const std::vector<T>& values) {
    Colorizer colorizer(setup);
    auto in = bytes_of(values);
    std::vector<std::byte> out(values.size() * 3);
    colorizer.colour(in.data(), out.data(), values.size());
    std::vector<Rgb> rgb(values.size());
    std::memcpy(rgb.data(), out.data(), out.size());
    return rgb;
}

ColouringSetup setup_for(const char* map, ValueRange range, ScalarFormat input) {
    ColouringSetup setup;
    setup.map = &find_colormap(map);
    setup.range = range;
    setup.input = input;
    setup.nan_colour = {255, 0, 255};
    return setup;
}

} // namespace

TEST_CASE("colormap tables hold matplotlib's levels") {
    const auto& viridis = find_colormap("viridis").lut;
    REQUIRE(viridis.size() == 256);
    CHECK(viridis[0] == Rgb{68, 1, 84});
    CHECK(viridis[1] == Rgb{68, 2, 85});
    CHECK(viridis[128] == Rgb{32, 144, 140});
    CHECK(viridis[255] == Rgb{253, 231, 36});
    const auto& twilight = find_colormap("twilight").lut;
    REQUIRE(twilight.size() == 510);
    CHECK(twilight[255] == Rgb{47, 20, 54});
    CHECK(twilight[509] == Rgb{225, 216, 225});
    CHECK(find_colormap("turbo").lut[255] == Rgb{122, 4, 2});
    CHECK(find_colormap("RdBu_r").lut[0] == Rgb{5, 48, 97});
    CHECK(find_colormap("RdBu_r").lut[128] == Rgb{247, 246, 246});
    CHECK(find_colormap("magma").lut[128] == Rgb{182, 54, 121});
    CHECK(find_colormap("gray").lut[128] == Rgb{128, 128, 128});
    CHECK(find_colormap("viridis_r").lut[0] == Rgb{253, 231, 36});
}

TEST_CASE("colormap names: the issue's maps are all there, and unknown names are refused") {
    for (auto name : {"viridis", "magma", "inferno", "plasma", "cividis", "turbo", "gray",
                      "coolwarm", "RdBu_r", "twilight"})
        CHECK(find_colormap(name).name == name);
    CHECK_THAT(colormap_names(), Catch::StartsWith("viridis, viridis_r, magma, magma_r, "));
    CHECK_THAT(colormap_listing(), Catch::Contains("  RdBu_r              RdBu reversed\n"));
    CHECK_THROWS_WITH(find_colormap("rdbu_r"),
                      "unknown colormap 'rdbu_r': the names are case-sensitive, write 'RdBu_r'");
    CHECK_THROWS_WITH(find_colormap("parula"),
                      "unknown colormap 'parula': use one of " + colormap_names());
    try {
        find_colormap("");
        FAIL("an empty name was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
    }
}

TEST_CASE("ranges parse as LO:HI, auto and auto:N") {
    auto fixed = parse_range("-2.5:7.3");
    CHECK_FALSE(fixed.automatic);
    CHECK(fixed.fixed == ValueRange{-2.5, 7.3});
    CHECK(parse_range("0:1e3").fixed == ValueRange{0, 1000});
    CHECK(parse_range("-40:-10").fixed == ValueRange{-40, -10});
    auto first = parse_range("auto");
    CHECK(first.automatic);
    CHECK(first.frames == 1);
    CHECK(parse_range("auto:25").frames == 25);
    CHECK(parse_range("auto:1000").frames == 1000);
}

TEST_CASE("bad ranges are refused with the value quoted") {
    const std::string forms = "write LO:HI (e.g. 0:1 or -2.5:40), auto or auto:N";
    CHECK_THROWS_WITH(parse_range("1"), "invalid range '1': " + forms);
    CHECK_THROWS_WITH(parse_range(""), "invalid range '': " + forms);
    CHECK_THROWS_WITH(parse_range(":1"), "invalid range ':1': '' is not a number; " + forms);
    CHECK_THROWS_WITH(parse_range("0:one"),
                      "invalid range '0:one': 'one' is not a number; " + forms);
    CHECK_THROWS_WITH(parse_range("0:1:2"),
                      "invalid range '0:1:2': '1:2' is not a number; " + forms);
    CHECK_THROWS_WITH(parse_range("1:1"), "invalid range '1:1': LO must be less than HI");
    CHECK_THROWS_WITH(parse_range("5:-5"), "invalid range '5:-5': LO must be less than HI");
    CHECK_THROWS_WITH(parse_range("nan:1"), "invalid range 'nan:1': 'nan' is not a finite number");
    CHECK_THROWS_WITH(parse_range("0:inf"), "invalid range '0:inf': 'inf' is not a finite number");
    CHECK_THROWS_WITH(parse_range("0:1e999"),
                      "invalid range '0:1e999': '1e999' is not a finite number");
    CHECK_THROWS_WITH(parse_range("0:1e39"), "invalid range '0:1e39': the limits must lie within "
                                             "±3.4e38, the range of 32-bit floats");
    CHECK_THROWS_WITH(parse_range("-3e38:3e38"),
                      "invalid range '-3e38:3e38': HI - LO is more than 32-bit floats can hold "
                      "(3.4e38)");
    CHECK_THROWS_WITH(parse_range("0:1e-46"),
                      "invalid range '0:1e-46': HI - LO is too small for 32-bit floats");
    const std::string frames = "N in auto:N is the number of frames to take the range from, a "
                               "whole number from 1 to 1000";
    CHECK_THROWS_WITH(parse_range("auto:0"), "invalid range 'auto:0': " + frames);
    CHECK_THROWS_WITH(parse_range("auto:1001"), "invalid range 'auto:1001': " + frames);
    CHECK_THROWS_WITH(parse_range("auto:"), "invalid range 'auto:': " + frames);
    CHECK_THROWS_WITH(parse_range("auto:2x"), "invalid range 'auto:2x': " + frames);
    CHECK(range_problem({3, 3}).empty()); // an auto range over a constant frame
}

TEST_CASE("NaN colours parse as #rrggbb or a name") {
    CHECK(parse_nan_colour("#ff00ff") == Rgb{255, 0, 255});
    CHECK(parse_nan_colour("#A0b1C2") == Rgb{160, 177, 194});
    CHECK(parse_nan_colour("black") == Rgb{0, 0, 0});
    CHECK(parse_nan_colour("White") == Rgb{255, 255, 255});
    CHECK(parse_nan_colour("grey") == Rgb{128, 128, 128});
    const std::string tail = "': write #rrggbb (e.g. #ff00ff) or one of black, white, gray, "
                             "grey, red, green, blue, magenta, cyan, yellow";
    CHECK_THROWS_WITH(parse_nan_colour("#ff00f"), "invalid NaN colour '#ff00f" + tail);
    CHECK_THROWS_WITH(parse_nan_colour("#gg0000"), "invalid NaN colour '#gg0000" + tail);
    CHECK_THROWS_WITH(parse_nan_colour("ff00ff"), "invalid NaN colour 'ff00ff" + tail);
    CHECK_THROWS_WITH(parse_nan_colour(""), "invalid NaN colour '" + tail);
}

TEST_CASE("only gray formats take a colormap, each with its own default range") {
    CHECK(colormap_input_format(parse_pixel_format("grayf32le")) == ScalarFormat::grayf32le);
    CHECK(colormap_input_format(parse_pixel_format("gray16le")) == ScalarFormat::gray16le);
    CHECK(colormap_input_format(parse_pixel_format("gray")) == ScalarFormat::gray);
    CHECK_THROWS_WITH(colormap_input_format(parse_pixel_format("rgba")),
                      "a colormap colours one value per pixel, not rgba pixels: use --pix-fmt "
                      "grayf32le, gray16le or gray");
    CHECK(default_range(ScalarFormat::grayf32le) == ValueRange{0, 1});
    CHECK(default_range(ScalarFormat::gray16le) == ValueRange{0, 65535});
    CHECK(default_range(ScalarFormat::gray) == ValueRange{0, 255});
}

TEST_CASE("floats: in range, below, above, NaN and infinities") {
    auto setup = setup_for("viridis", {-2.5, 7.3}, ScalarFormat::grayf32le);
    auto rgb = colour(setup, std::vector<float>{-2.5f, 0.0f, 2.4f, 7.3f, 100.0f, -100.0f, 1e-30f,
                                                kNan, kInf, -kInf});
    std::vector<Rgb> want{{68, 1, 84},    {58, 83, 139}, {32, 144, 140}, {253, 231, 36},
                          {253, 231, 36}, {68, 1, 84},   {58, 83, 139},  {255, 0, 255},
                          {255, 0, 255},  {255, 0, 255}};
    CHECK(rgb == want);
}

TEST_CASE("floats: a range of one value gives every value the first colour, as Normalize does") {
    auto setup = setup_for("plasma", {2, 2}, ScalarFormat::grayf32le);
    auto rgb = colour(setup, std::vector<float>{-5, 2, 9, kNan});
    CHECK(rgb == std::vector<Rgb>{{12, 7, 134}, {12, 7, 134}, {12, 7, 134}, {255, 0, 255}});
}

TEST_CASE("a range whose arithmetic leaves 32-bit floats is refused, e.g. from auto") {
    auto setup = setup_for("viridis", {-3e38, 3e38}, ScalarFormat::grayf32le);
    CHECK_THROWS_WITH(Colorizer(setup), "cannot colour with the range -3e+38:3e+38: HI - LO is "
                                        "more than 32-bit floats can hold (3.4e38)");
}

TEST_CASE("floats: numpy 1 and numpy 2 arithmetic, each as matplotlib picks its level") {
    // A value on a turbo level boundary for -2.5:7.3, where the two numpy releases differ.
    float v = std::bit_cast<float>(std::uint32_t{3219639501u});
    auto setup = setup_for("turbo", {-2.5, 7.3}, ScalarFormat::grayf32le);
    setup.arithmetic = NumpyArithmetic::float32;
    CHECK(colour(setup, std::vector<float>{v}) == std::vector<Rgb>{{64, 67, 166}});
    setup.arithmetic = NumpyArithmetic::float64;
    CHECK(colour(setup, std::vector<float>{v}) == std::vector<Rgb>{{65, 69, 171}});
}

TEST_CASE("gray16le and gray colour their raw integer values") {
    auto u16 = colour(setup_for("viridis", {0, 65535}, ScalarFormat::gray16le),
                      std::vector<std::uint16_t>{0, 1000, 32768, 65535});
    CHECK(u16 == std::vector<Rgb>{{68, 1, 84}, {69, 5, 88}, {32, 144, 140}, {253, 231, 36}});
    auto u16_range = colour(setup_for("inferno", {1000, 40000}, ScalarFormat::gray16le),
                            std::vector<std::uint16_t>{0, 1000, 20000, 40000, 65535});
    CHECK(u16_range ==
          std::vector<Rgb>{{0, 0, 3}, {0, 0, 3}, {181, 51, 87}, {252, 254, 164}, {252, 254, 164}});
    auto u8 = colour(setup_for("turbo", {10, 200}, ScalarFormat::gray),
                     std::vector<std::uint8_t>{0, 10, 11, 100, 199, 200, 255});
    CHECK(u8 == std::vector<Rgb>{{48, 18, 59},
                                 {48, 18, 59},
                                 {49, 21, 66},
                                 {142, 254, 72},
                                 {125, 5, 2},
                                 {122, 4, 2},
                                 {122, 4, 2}});
}

TEST_CASE("rows split across calls write exactly their own bytes, in either layout") {
    const std::size_t width = 5, height = 4;
    std::vector<float> values(width * height);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<float>(i) / static_cast<float>(values.size() - 1);
    auto in = bytes_of(values);
    for (auto layout : {RgbLayout::rgb24, RgbLayout::rgba}) {
        auto setup = setup_for("turbo", {0, 1}, ScalarFormat::grayf32le);
        setup.output = layout;
        Colorizer colorizer(setup);
        const std::size_t bpp = colorizer.output_bytes_per_pixel();
        std::vector<std::byte> whole(values.size() * bpp), split(whole.size() + 1, std::byte{0x5a});
        colorizer.colour(in.data(), whole.data(), values.size());
        // Rows 1..2 only: the bytes before and after them must stay untouched.
        colorizer.colour_rows(in.data(), split.data(), width, 1, 3);
        for (std::size_t i = 0; i < split.size(); ++i) {
            bool inside = i >= width * bpp && i < 3 * width * bpp;
            CHECK(split[i] == (inside ? whole[i] : std::byte{0x5a}));
        }
        if (layout == RgbLayout::rgba)
            CHECK(whole[3] == std::byte{255});
    }
}

TEST_CASE("the range tracker takes min and max of the finite values of the first N frames") {
    RangeTracker tracker(ScalarFormat::grayf32le, 2);
    CHECK_FALSE(tracker.range());
    tracker.add(bytes_of(std::vector<float>{kNan, kNan}));
    tracker.end_frame();
    CHECK_FALSE(tracker.range()); // a frame of only NaN has no range
    CHECK_FALSE(tracker.complete());
    tracker.add(bytes_of(std::vector<float>{3.5f, kInf, -kInf, -1.25f, kNan}));
    tracker.end_frame();
    CHECK(tracker.complete());
    CHECK(tracker.range() == ValueRange{-1.25, 3.5});

    RangeTracker u16(ScalarFormat::gray16le, 1);
    u16.add(bytes_of(std::vector<std::uint16_t>{700, 65000, 12}));
    CHECK(u16.range() == ValueRange{12, 65000});
    RangeTracker u8(ScalarFormat::gray, 1);
    u8.add(bytes_of(std::vector<std::uint8_t>{9, 9}));
    CHECK(u8.range() == ValueRange{9, 9});
}

TEST_CASE("auto:N is refused when the frames held would pass the cap, with the N that fits") {
    CHECK_NOTHROW(check_held_frames(1000, 1000));
    CHECK_NOTHROW(check_held_frames(1, 4ull << 30)); // one frame is read whatever its size
    CHECK_THROWS_WITH(check_held_frames(3, 512ull << 20),
                      "--range auto:3 would hold 1536 MiB of frames (536870912 bytes each) before "
                      "colouring; at most 1024 MiB are held: use auto:2 or fewer, or give "
                      "--range LO:HI");
}

TEST_CASE("ranges are written as short as they read back as 32-bit floats") {
    CHECK(range_text({0, 1}) == "0:1");
    CHECK(range_text({-2.5, 40}) == "-2.5:40");
    CHECK(range_text({double{0.1f}, double{1.8201019f}}) == "0.1:1.8201019");
}

TEST_CASE("the baseline float kernel colours exactly as the one chosen for this CPU") {
    // Every level its own colour, so that any level the two kernels pick differently shows.
    std::vector<std::uint32_t> colours;
    for (std::uint32_t i = 0; i <= 256; ++i)
        colours.push_back(i * 0x010203u + 0x01000000u);
    std::mt19937 random(19);
    std::vector<float> values;
    std::uniform_real_distribution<float> near(-3.0f, 8.0f);
    // Values around level boundaries (where arithmetic differences would show), beyond the
    // range, and the invalid ones; 4099 of them, so no vector width divides the count.
    for (int i = 0; i < 4099 - 4; ++i)
        values.push_back(
            i % 2 ? near(random)
                  : std::nextafter(-2.5f + 9.8f * static_cast<float>(i % 256) / 256, 0.0f));
    values.insert(values.end(), {kNan, kInf, -kInf, 7.3f});
    const auto in = bytes_of(values);
    const LevelScale scale({-2.5, 7.3}, 256);
    const FloatKernelData data{scale, colours.data(), 256};
    for (auto arithmetic : {NumpyArithmetic::float32, NumpyArithmetic::float64})
        for (auto layout : {RgbLayout::rgb24, RgbLayout::rgba}) {
            const std::size_t bytes = values.size() * (layout == RgbLayout::rgb24 ? 3 : 4);
            std::vector<std::byte> chosen(bytes), baseline(bytes);
            float_colour_kernel(arithmetic, layout)(in.data(), chosen.data(), values.size(), data);
            float_colour_kernel(arithmetic, layout, true)(in.data(), baseline.data(), values.size(),
                                                          data);
            CHECK(chosen == baseline);
        }
}
