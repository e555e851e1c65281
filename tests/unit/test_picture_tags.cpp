// A YUV4MPEG2 header's pixel aspect, field order and chroma siting as ffmpeg options: the exact
// filters and output options, and where the field order cannot be kept.
#include "ffmpeg_args.h"
#include "picture_tags.h"
#include "preset.h"
#include "shell_quote.h"

#include "catch.h"

using namespace framepipe;

namespace {

RawInput sd_y4m() {
    RawInput in;
    in.size = {720, 576};
    in.rate = {25, 1};
    in.stream_pix_fmt = "yuv420p";
    in.yuv_matrix = "bt601";
    in.yuv_range = "tv";
    return in;
}

FfmpegJob job_with(const RawInput& in, const std::string& encoder, const std::string& pix_fmt,
                   const char* out = "out.mp4") {
    FfmpegJob job;
    job.input = in;
    job.preset.name = "p";
    job.preset.encoder = encoder;
    job.preset.args = {"-crf", "17"};
    job.preset.pix_fmt = pix_fmt;
    job.output = out;
    job.container = &container_for(out);
    return job;
}

} // namespace

TEST_CASE("nothing is added when the header says nothing") {
    const auto job = job_with(sd_y4m(), "libx264", "yuv420p");
    CHECK(picture_tag_filters(job.input).empty());
    CHECK(chroma_position_options(job.input, "yuv420p").empty());
    std::vector<std::string> args = job.preset.args;
    CHECK(picture_tag_options(job.input, "libx264", args).empty());
    CHECK(picture_tag_input_options(job.input, "yuv420p").empty());
    CHECK(args == job.preset.args);
}

TEST_CASE("the whole command for an anamorphic, bottom-field-first, left-sited SD stream") {
    auto in = sd_y4m();
    in.sample_aspect = Rational{16, 11};
    in.field_order = "bb";
    in.chroma_location = "left";
    auto args = build_ffmpeg_args(job_with(in, "libx264", "yuv420p"));
    CHECK(shell_join(args) ==
          "-nostdin -loglevel level+info -nostats -n -chroma_sample_location left -f rawvideo "
          "-pix_fmt yuv420p -s 720x576 -r 25 -i - -vf "
          "setsar=16/11,setfield=bff,scale=in_color_matrix=bt601:in_range=tv:"
          "in_h_chr_pos=0:in_v_chr_pos=128:out_h_chr_pos=0:out_v_chr_pos=128:"
          "out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,"
          "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv "
          "-c:v libx264 -crf 17 -x264-params bff=1 -field_order bb -flags +ildct -pix_fmt yuv420p "
          "-color_primaries bt709 -color_trc bt709 "
          "-colorspace bt709 -color_range tv -movflags +faststart -f mp4 file:out.mp4");
}

TEST_CASE("a top-first field order joins the preset's own -x264-params") {
    auto in = sd_y4m();
    in.field_order = "tt";
    std::vector<std::string> args{"-x264-params", "keyint=50", "-crf", "17"};
    CHECK(picture_tag_options(in, "libx264", args) ==
          std::vector<std::string>{"-field_order", "tt", "-flags", "+ildct"});
    CHECK(args == std::vector<std::string>{"-x264-params", "keyint=50:tff=1", "-crf", "17"});
    CHECK(picture_tag_filters(in) == std::vector<std::string>{"setfield=tff"});
}

TEST_CASE("interlaced coding for ProRes, only the tag for encoders without it") {
    auto in = sd_y4m();
    in.field_order = "tt";
    std::vector<std::string> args;
    CHECK(picture_tag_options(in, "prores_ks", args) ==
          std::vector<std::string>{"-field_order", "tt", "-flags", "+ildct"});
    CHECK(picture_tag_options(in, "libvpx-vp9", args) ==
          std::vector<std::string>{"-field_order", "tt"});
    CHECK(args.empty());
}

TEST_CASE("chroma positions follow the siting, and stay where the output subsamples too") {
    auto in = sd_y4m();
    in.chroma_location = "center";
    CHECK(chroma_position_options(in, "yuv420p") ==
          "in_h_chr_pos=128:in_v_chr_pos=128:out_h_chr_pos=128:out_v_chr_pos=128:");
    in.chroma_location = "topleft";
    // 4:2:2 keeps the rows' siting, 4:4:4 and RGB have none of their own.
    CHECK(chroma_position_options(in, "yuv422p10le") ==
          "in_h_chr_pos=0:in_v_chr_pos=0:out_h_chr_pos=0:");
    CHECK(chroma_position_options(in, "yuv444p") == "in_h_chr_pos=0:in_v_chr_pos=0:");
    CHECK(filter_chain(job_with(in, "ffv1", "bgr0", "out.mkv")) ==
          "scale=in_color_matrix=bt601:in_range=tv:in_h_chr_pos=0:in_v_chr_pos=0:"
          "flags=accurate_rnd");
    // The siting is a 4:2:0 tag: not given for 4:2:2 or 4:4:4 output, nor by the output options.
    CHECK(picture_tag_input_options(in, "yuv420p") ==
          std::vector<std::string>{"-chroma_sample_location", "topleft"});
    CHECK(picture_tag_input_options(in, "nv12") ==
          std::vector<std::string>{"-chroma_sample_location", "topleft"});
    CHECK(picture_tag_input_options(in, "yuv444p").empty());
    CHECK(picture_tag_input_options(in, "yuv422p10le").empty());
    std::vector<std::string> args;
    CHECK(picture_tag_options(in, "libx264", args).empty());
}

TEST_CASE("a warning where neither the encoder nor the container keeps the field order") {
    auto in = sd_y4m();
    CHECK(!field_order_warning(in, "libvpx-vp9", container_for("a.webm")));
    in.field_order = "bb";
    CHECK(field_order_warning(in, "libvpx-vp9", container_for("a.webm")) ==
          "the input is interlaced (bottom field first), but libvpx-vp9 in .webm cannot say so: "
          "players will show its frames as progressive, combed where things move; a libx264 "
          "preset or an .mkv output keeps the field order");
    in.field_order = "tt";
    CHECK(
        field_order_warning(in, "h264_nvenc", container_for("a.mp4"))
            ->starts_with(
                "the input is interlaced (top field first), but h264_nvenc in .mp4 cannot say so"));
    CHECK(field_order_warning(in, "gif", container_for("a.gif")));
    CHECK(!field_order_warning(in, "libx264", container_for("a.ts")));
    CHECK(!field_order_warning(in, "prores_ks", container_for("a.mov")));
    CHECK(!field_order_warning(in, "ffv1", container_for("a.mkv")));
    CHECK(!field_order_warning(in, "libvpx-vp9", container_for("a.mkv")));
    CHECK(!field_order_warning(in, "libx265", container_for("a.mp4")));
    CHECK(!field_order_warning(in, "h264_nvenc", container_for("a.mkv")));
}
