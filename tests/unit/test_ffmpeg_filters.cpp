// `ffmpeg -hide_banner -filters`, where framepipe bench finds out whether ffmpeg has libvmaf.
#include "catch.h"
#include "ffmpeg_filters.h"

#include <string>

using namespace framepipe;

namespace {

// The head of Debian 12's `ffmpeg -hide_banner -filters` (ffmpeg 5.1), a few entries of each
// shape, and one line as a build with libvmaf prints it.
const char* const kFilters = "Filters:\n"
                             "  T.. = Timeline support\n"
                             "  .S. = Slice threading\n"
                             "  ..C = Command support\n"
                             "  A = Audio input/output\n"
                             "  V = Video input/output\n"
                             "  N = Dynamic number and/or type of input/output\n"
                             "  | = Source or sink filter\n"
                             " ... abench            A->A       Benchmark part of a filtergraph.\n"
                             " ... amerge            N->A       Merge two or more audio streams.\n"
                             " ... anullsrc          |->A       Null audio source.\n"
                             " ... buffersink        V->|       Buffer video frames.\n"
                             " TS. psnr              VV->V      Calculate the PSNR.\n"
                             " ... split             V->N       Pass on the input to N outputs.\n"
                             " TS. ssim              VV->V      Calculate the SSIM.\n"
                             " ... vmafmotion        V->V       Calculate the VMAF Motion score.\n";

} // namespace

TEST_CASE("ffmpeg -filters is parsed into filter names, and libvmaf found only by name") {
    auto names = parse_filter_list(kFilters);
    REQUIRE(names);
    CHECK(*names == FilterSet{"abench", "amerge", "anullsrc", "buffersink", "psnr", "split", "ssim",
                              "vmafmotion"});
    CHECK_FALSE(names->contains("libvmaf")); // vmafmotion is not libvmaf
    auto with = parse_filter_list(std::string(kFilters) +
                                  " ... libvmaf           VV->V      Calculate the VMAF between "
                                  "two video streams.\r\n");
    REQUIRE(with);
    CHECK(with->contains("libvmaf"));
    // Other flag widths, as other versions print them.
    CHECK(parse_filter_list(" TS libvmaf VV->V x\n")->contains("libvmaf"));
    CHECK(parse_filter_list(" TSCX libvmaf VV->V x\n")->contains("libvmaf"));
    // The legend alone is a listing with no filters; anything else is no listing.
    auto legend =
        parse_filter_list("Filters:\n  T.. = Timeline support\n  A = Audio input/output\n");
    REQUIRE(legend);
    CHECK(legend->empty());
    CHECK_FALSE(parse_filter_list(""));
    CHECK_FALSE(parse_filter_list("ffmpeg: unrecognized option '-filters'\n"));
    CHECK_FALSE(parse_filter_list(" ... libvmaf = VV->V\n"));
}
