// VMAF in framepipe bench: the graph that measures it beside SSIM and PSNR, and libvmaf's JSON
// log. Debian's ffmpeg has no libvmaf, so what it would write is written out here from libvmaf's
// own writer (libvmaf/src/output.c).
#include "bench/quality.h"
#include "bench/vmaf.h"
#include "catch.h"
#include "pixel_format.h"

using namespace framepipe;
using namespace framepipe::bench;

TEST_CASE("VMAF is measured in the same ffmpeg run, on the same frames as SSIM and PSNR") {
    const PixelFormat& rgba = parse_pixel_format("rgba");
    Captured c{"/t/source.raw", {640, 360}, &rgba, {60, 1}, 30, "x"};
    auto args = quality_args(c, "/t/out.mp4", {true, "bt709", "tv"},
                             {"/t/ssim.log", std::filesystem::path("/t/vmaf.json"), 2});
    REQUIRE(args.size() > 4);
    CHECK(args[args.size() - 5] == "-filter_complex");
    CHECK(args[args.size() - 4] ==
          "[0:v]format=gbrp,settb=1/60,setpts=N,split=3[ref1][ref2][ref3];[1:v]scale=in_color_"
          "matrix=bt709:in_range=tv:flags=accurate_rnd+full_chroma_int,format=gbrp,crop=640:360:"
          "0:0,settb=1/60,setpts=N[dec];[dec][ref1]ssim=stats_file=/t/ssim.log[seen];[seen][ref2]"
          "psnr[scored];[scored]format=yuv444p[vmaf_main];[ref3]format=yuv444p[vmaf_ref];"
          "[vmaf_main][vmaf_ref]libvmaf=log_fmt=json:log_path=/t/vmaf.json:n_threads=2");
    CHECK(vmaf_filters("a", "b", "/x.json", 0) ==
          "[a]format=yuv444p[vmaf_main];[b]format=yuv444p[vmaf_ref];[vmaf_main][vmaf_ref]"
          "libvmaf=log_fmt=json:log_path=/x.json:n_threads=1");
}

TEST_CASE("libvmaf's JSON log gives the mean and the worst frame") {
    // As vmaf_write_output_json writes it (libvmaf 2.x), three frames.
    const char* log = R"({
  "version": "2.3.1",
  "fps": 12.34,
  "frames": [
    {
      "frameNum": 0,
      "metrics": {
        "integer_adm2": 0.981234,
        "integer_motion2": 0.000000,
        "vmaf": 95.500000
      }
    },
    {
      "frameNum": 1,
      "metrics": {
        "integer_adm2": 0.971234,
        "vmaf": 91.000000
      }
    },
    {
      "frameNum": 2,
      "metrics": {
        "vmaf": 93.250000
      }
    }
  ],
  "pooled_metrics": {
    "integer_adm2": {
      "min": 0.971234,
      "max": 0.981234,
      "mean": 0.976234,
      "harmonic_mean": 0.976200
    },
    "vmaf": {
      "min": 91.000000,
      "max": 95.500000,
      "mean": 93.250000,
      "harmonic_mean": 93.200000
    }
  },
  "aggregate_metrics": {
  }
}
)";
    auto score = parse_vmaf_log(log);
    REQUIRE(score);
    CHECK(score->mean == Approx(93.25));
    CHECK(score->worst == Approx(91.0));
    // Pools written as null (NaN in libvmaf) or missing: from the frames.
    auto frames_only = parse_vmaf_log(R"({"frames": [{"frameNum": 0, "metrics": {"vmaf": 80}},
        {"frameNum": 1, "metrics": {"vmaf": null}}, {"frameNum": 2, "metrics": {"vmaf": 90}}],
        "pooled_metrics": {"vmaf": {"min": null, "mean": null}}})");
    REQUIRE(frames_only);
    CHECK(frames_only->mean == Approx(85));
    CHECK(frames_only->worst == Approx(80));
    CHECK_FALSE(parse_vmaf_log(""));
    CHECK_FALSE(parse_vmaf_log("<VMAF version=\"2.3.1\">"));
    CHECK_FALSE(parse_vmaf_log(R"({"frames": [], "pooled_metrics": {}})"));
    CHECK_FALSE(parse_vmaf_log(R"({"frames": 3, "pooled_metrics": [1, 2]})"));
    CHECK_FALSE(parse_vmaf_log(R"({"frames": [{"metrics": [1]}, 7, null]})"));
}
