// The CRF search of framepipe bench --tune, a pure function: the next probe and when to stop,
// checked step by step and run to the end against a model of x264's SSIM; and which value of
// which preset is searched.
#include "bench/crf_knob.h"
#include "bench/crf_search.h"
#include "catch.h"

#include <cmath>
#include <functional>

using namespace framepipe;
using namespace framepipe::bench;

namespace {

// Runs the search against `ssim_at`, from `start`, as tune_preset does; gives the probes made.
std::pair<CrfStep, std::vector<CrfProbe>> search(const std::function<double(int)>& ssim_at,
                                                 int start, double target, CrfRange range = {},
                                                 CrfSearchLimits limits = {}) {
    std::vector<CrfProbe> probes{{start, ssim_at(start)}};
    for (;;) {
        auto step = next_crf(probes, target, range, limits);
        if (step.verdict != CrfVerdict::probe)
            return {step, probes};
        for (const auto& p : probes)
            REQUIRE(p.crf != step.crf); // never the same CRF twice
        REQUIRE(step.crf >= range.min);
        REQUIRE(step.crf <= range.max);
        probes.push_back({step.crf, ssim_at(step.crf)});
    }
}

// SSIM falling smoothly with the CRF, as x264's does on the built-in content (0.969 at 17,
// 0.942 at 23, 0.992 at 0).
double smooth(int crf) {
    return 1.0 - 0.008 * std::exp(0.07 * crf);
}

} // namespace

TEST_CASE("the CRF search interpolates between the bracketing probes") {
    // 0.96 and 0.94 bracket 0.95 at 20 and 24: halfway is 22.
    auto step = next_crf({{20, 0.96}, {24, 0.94}}, 0.95, {0, 51});
    CHECK(step.verdict == CrfVerdict::probe);
    CHECK(step.crf == 22);
    // Not halfway: 0.95 is a quarter of the way from 0.952 to 0.944.
    CHECK(next_crf({{20, 0.952}, {28, 0.944}}, 0.95, {0, 51}).crf == 22);
    // Always strictly inside the bracket, however close to one end the line says.
    CHECK(next_crf({{20, 0.951}, {30, 0.90}}, 0.95, {0, 51}).crf == 21);
    CHECK(next_crf({{20, 0.99}, {30, 0.9499}}, 0.95, {0, 51}).crf == 29);
}

TEST_CASE("the CRF search stops when the bracket is one CRF wide or a probe is close enough") {
    auto adjacent = next_crf({{21, 0.955}, {22, 0.948}}, 0.95, {0, 51});
    CHECK(adjacent.verdict == CrfVerdict::found);
    CHECK(adjacent.crf == 21);
    // Within the tolerance (0.0005) above the target: the next CRF would gain little.
    auto close = next_crf({{17, 0.9503}}, 0.95, {0, 51});
    CHECK(close.verdict == CrfVerdict::found);
    CHECK(close.crf == 17);
    // Meeting it at the encoder's largest CRF: nothing smaller to find.
    auto top = next_crf({{51, 0.96}}, 0.95, {0, 51});
    CHECK(top.verdict == CrfVerdict::found);
    CHECK(top.crf == 51);
}

TEST_CASE("the CRF search steps out, then extrapolates, until the target is bracketed") {
    // One probe that meets the target: a first step up.
    CHECK(next_crf({{17, 0.97}}, 0.95, {0, 51}).crf == 23);
    // One that misses: a first step down, not below the range.
    CHECK(next_crf({{23, 0.94}}, 0.95, {0, 51}).crf == 17);
    CHECK(next_crf({{3, 0.94}}, 0.95, {0, 51}).crf == 0);
    // Two that meet it: along their line, just past the target (0.005 per CRF, 0.02 to go).
    CHECK(next_crf({{17, 0.98}, {19, 0.97}}, 0.95, {0, 51}).crf == 23);
    // ... but no further than max_step from the nearest probe.
    CHECK(next_crf({{17, 0.99}, {19, 0.9899}}, 0.95, {0, 51}).crf == 31);
    // A flat or rising line is noise: the first step instead.
    CHECK(next_crf({{17, 0.97}, {19, 0.971}}, 0.95, {0, 51}).crf == 25);
    // Two that miss: along their line, below the target.
    CHECK(next_crf({{23, 0.94}, {25, 0.93}}, 0.95, {0, 51}).crf == 21);
}

TEST_CASE("an unreachable target is settled by one probe at the lowest CRF") {
    // The line through 17 and 23 says even CRF 0 misses 0.99999: probe 0 at once.
    auto step = next_crf({{23, 0.9415}, {17, 0.969}}, 0.99999, {0, 51});
    CHECK(step.verdict == CrfVerdict::probe);
    CHECK(step.crf == 10); // no more than max_step below 17 while the line still has room
    auto last = next_crf({{23, 0.9415}, {17, 0.969}, {10, 0.9844}, {2, 0.9904}}, 0.99999, {0, 51});
    CHECK(last.crf == 0);
    auto done = next_crf({{23, 0.94}, {0, 0.9917}}, 0.99999, {0, 51});
    CHECK(done.verdict == CrfVerdict::unreachable);
    CHECK(done.crf == 0);
    auto [verdict, probes] = search(smooth, 23, 0.99999);
    CHECK(verdict.verdict == CrfVerdict::unreachable);
    CHECK(probes.size() <= 6);
}

TEST_CASE("the CRF search gives up after its probes, with the best it tried") {
    CrfSearchLimits two;
    two.max_probes = 2;
    auto step = next_crf({{23, 0.94}, {17, 0.945}}, 0.99, {0, 51}, two);
    CHECK(step.verdict == CrfVerdict::gave_up);
    CHECK(step.crf == 17);
    // A probe that meets the target is an answer however many were made.
    CHECK(next_crf({{23, 0.94}, {17, 0.96}}, 0.95, {0, 51}, two).verdict == CrfVerdict::found);
}

TEST_CASE("a probe without a measured SSIM ends the search with the best measured one") {
    const double nan = std::nan("");
    auto step = next_crf({{23, nan}}, 0.95, {0, 51});
    CHECK(step.verdict == CrfVerdict::gave_up);
    CHECK(step.crf == 23);
    step = next_crf({{23, nan}, {17, 0.96}, {29, 0.93}}, 0.95, {0, 51});
    CHECK(step.verdict == CrfVerdict::gave_up);
    CHECK(step.crf == 17);
}

TEST_CASE("a miss below a probe that meets the target is noise, not a bracket") {
    // 19 misses, yet 21 meets it: SSIM is not perfectly monotonic. 21 and 24 bracket the target.
    auto step = next_crf({{19, 0.9498}, {21, 0.951}, {24, 0.94}}, 0.95, {0, 51});
    CHECK(step.verdict == CrfVerdict::probe);
    CHECK(step.crf == 22);
}

TEST_CASE("the CRF search finds the largest CRF meeting the target in a few probes") {
    for (double target : {0.90, 0.93, 0.95, 0.96, 0.975, 0.985}) {
        for (int start : {17, 23, 28, 35}) {
            CAPTURE(target, start);
            auto [step, probes] = search(smooth, start, target);
            REQUIRE(step.verdict == CrfVerdict::found);
            CHECK(smooth(step.crf) >= target);
            // The largest, or one whose SSIM is within the tolerance of the target.
            CHECK((smooth(step.crf + 1) < target || smooth(step.crf) - target <= 0.0005));
            // The preset's own probe and at most five encodes, six when the answer is far off.
            CHECK(probes.size() <= (std::abs(step.crf - start) <= 12 ? 6u : 7u));
        }
    }
}

TEST_CASE("bench --tune searches -crf of the software encoders, within each encoder's range") {
    Preset p;
    p.name = "x264-crf23";
    p.encoder = "libx264";
    p.args = {"-preset", "ultrafast", "-crf", "23"};
    auto knob = std::get<CrfKnob>(crf_knob(p));
    CHECK(knob.index == 3);
    CHECK(knob.value == 23);
    CHECK(knob.range.min == 0);
    CHECK(knob.range.max == 51);
    auto tuned = with_crf(p, knob, 19);
    CHECK(tuned.args == std::vector<std::string>{"-preset", "ultrafast", "-crf", "19"});
    CHECK(tuned.name == "x264-crf23-crf19");
    CHECK(is_valid_preset_name(with_crf(p, knob, 19).name));
    p.name = std::string(64, 'a');
    CHECK(is_valid_preset_name(with_crf(p, knob, 51).name));

    p.encoder = "libvpx";
    CHECK(std::get<CrfKnob>(crf_knob(p)).range.min == 4);
    p.encoder = "libsvtav1";
    CHECK(std::get<CrfKnob>(crf_knob(p)).range.min == 1);
    CHECK(std::get<CrfKnob>(crf_knob(p)).range.max == 63);
    p.encoder = "libx265";
    p.pix_fmt = "yuv420p10le";
    CHECK(std::get<CrfKnob>(crf_knob(p)).range.max == 63);

    p.name = "nvenc-8M";
    p.encoder = "h264_nvenc";
    p.hardware = Hardware::nvenc;
    CHECK(std::get<std::string>(crf_knob(p)) ==
          "h264_nvenc is a hardware encoder: its quality scale is the driver's, so --tune "
          "searches software encoders only");
    p.hardware = Hardware::none;
    p.encoder = "ffv1";
    CHECK(std::get<std::string>(crf_knob(p)) ==
          "ffv1 has no CRF to search (it is lossless, or of fixed quality)");
    p.name = "mine";
    p.encoder = "libx264";
    p.args = {"-qp", "20"};
    CHECK(std::get<std::string>(crf_knob(p)) ==
          "preset mine sets no -crf: add one to its args to tune it");
    p.args = {"-crf", "18.5"};
    CHECK(std::get<std::string>(crf_knob(p)) ==
          "preset mine sets -crf 18.5, and --tune searches whole CRFs");
}
