// Segments and their join: the tag round trip, the encoder setup per preset, every refusal's
// exact message, the concat list's exact durations, and the timestamp check.
#include "concat/join_check.h"
#include "concat/join_plan.h"
#include "concat/segment_probe.h"
#include "concat/segment_setup.h"
#include "error.h"
#include "ffmpeg_args.h"

#include "catch.h"

#include <algorithm>
#include <limits>

using namespace framepipe;

namespace {

Preset preset(const char* name, const char* encoder, std::vector<std::string> args = {}) {
    Preset p;
    p.name = name;
    p.encoder = encoder;
    p.args = std::move(args);
    return p;
}

SegmentInfo segment(std::string path, std::uint64_t start, std::uint64_t frames,
                    std::string preset_name = "x264-crf17") {
    SegmentInfo s;
    s.path = std::move(path);
    s.tag = SegmentTag{start, Rational{30, 1}, std::move(preset_name)};
    s.frames = frames;
    s.index_frames = frames;
    s.properties = {{"codec", "h264"}, {"width", "320"}, {"height", "240"}};
    return s;
}

std::string refusal(std::vector<SegmentInfo> segments,
                    std::optional<std::uint64_t> expected = std::nullopt) {
    try {
        plan_join(std::move(segments), expected);
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::segments);
        return e.what();
    }
    return "(accepted)";
}

bool contains(const std::vector<std::string>& v, const std::vector<std::string>& run) {
    return std::search(v.begin(), v.end(), run.begin(), run.end()) != v.end();
}

} // namespace

TEST_CASE("a segment tag reads back as written") {
    SegmentTag tag{450, Rational{30000, 1001}, "x264-crf17"};
    auto text = format_segment_tag(tag);
    CHECK(text == "framepipe-segment start=450 rate=30000/1001 preset=x264-crf17");
    auto back = parse_segment_tag(text);
    REQUIRE(back);
    CHECK(back->start == 450);
    CHECK(back->rate == Rational{30000, 1001});
    CHECK(back->preset == "x264-crf17");
}

TEST_CASE("text that is not a framepipe tag is no segment") {
    CHECK_FALSE(parse_segment_tag("Lavf59.27.100"));
    CHECK_FALSE(parse_segment_tag("framepipe-segment start=x rate=30/1 preset=a"));
    CHECK_FALSE(parse_segment_tag("framepipe-segment start=1 rate=30 preset=a"));
    CHECK_FALSE(parse_segment_tag("framepipe-segment start=1 rate=30/0 preset=a"));
    CHECK_FALSE(parse_segment_tag("framepipe-segment start=1 rate=30/1"));
}

TEST_CASE("segment encoder setup per preset") {
    CHECK(segment_preset(preset("a", "libx264", {"-crf", "17"})).args ==
          std::vector<std::string>{"-crf", "17", "-x264-params", "stitchable=1"});
    CHECK(segment_preset(preset("a", "libx264", {"-x264-params", "keyint=60"})).args ==
          std::vector<std::string>{"-x264-params", "keyint=60:stitchable=1"});
    CHECK(segment_preset(preset("a", "libsvtav1", {"-crf", "35"})).args ==
          std::vector<std::string>{"-crf", "35", "-flags", "+cgop"});
    CHECK(segment_preset(preset("a", "ffv1", {"-g", "1"})).args ==
          std::vector<std::string>{"-g", "1"});
    CHECK(segment_timescale(Rational{30, 1}) == 15360);
    CHECK(segment_timescale(Rational{30000, 1001}) == 30000);
    CHECK(segment_timescale(Rational{60, 1}) == 15360);
}

TEST_CASE("presets and containers that cannot make segments are refused") {
    auto message = [](const Preset& p, const char* out) {
        try {
            check_segment_support(p, container_for(out));
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::usage);
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    CHECK(message(preset("gif", "gif"), "a.gif") ==
          "--segment-start: preset 'gif' (gif) cannot make segments that join without "
          "re-encoding; use an x264, vp9, av1, ffv1 or prores preset (e.g. -p x264-crf17)");
    CHECK(message(preset("nvenc-8M", "h264_nvenc"), "a.mp4") ==
          "--segment-start: preset 'nvenc-8M' (h264_nvenc) cannot make segments that join "
          "without re-encoding; use an x264, vp9, av1, ffv1 or prores preset (e.g. -p "
          "x264-crf17)");
    CHECK(message(preset("x264-crf17", "libx264"), "a.avi") ==
          "--segment-start: .avi segments cannot be joined without re-encoding; write .mp4, "
          ".mov, .mkv or .webm segments");
    CHECK(message(preset("vp9", "libvpx-vp9"), "a.webm") == "(accepted)");
}

TEST_CASE("a segment's ffmpeg arguments carry the setup and the tag") {
    FfmpegJob job;
    job.input = raw_frames({320, 240}, &parse_pixel_format("rgba"), {30, 1});
    job.preset = preset("x264-crf17", "libx264", {"-crf", "17"});
    job.preset.pix_fmt = "yuv420p";
    job.output = "part.mp4";
    job.container = &container_for("part.mp4");
    const auto plain = build_ffmpeg_args(job);
    job.segment = SegmentTag{300, Rational{30, 1}, "x264-crf17"};
    const auto args = build_ffmpeg_args(job);
    CHECK(contains(args, {"-x264-params", "stitchable=1"}));
    CHECK(contains(args, {"-video_track_timescale", "15360", "-metadata",
                          "comment=framepipe-segment start=300 rate=30/1 preset=x264-crf17"}));
    CHECK_FALSE(contains(plain, {"-x264-params"}));
    CHECK(contains(build_encoder_probe_args(job), {"-x264-params", "stitchable=1"}));
}

TEST_CASE("segments given in any order are joined in frame order") {
    auto plan = plan_join(
        {segment("c.mp4", 300, 150), segment("a.mp4", 0, 100), segment("b.mp4", 100, 200)});
    REQUIRE(plan.size() == 3);
    CHECK(plan[0].path == "a.mp4");
    CHECK(plan[1].path == "b.mp4");
    CHECK(plan[2].path == "c.mp4");
    CHECK(plan_join({segment("a.mp4", 0, 300)}, 300).size() == 1);
}

TEST_CASE("a gap is refused naming the missing frames") {
    CHECK(refusal({segment("a.mp4", 0, 300), segment("c.mp4", 450, 100)}) ==
          "frames 300-449 are missing: no segment starts at 300 ('a.mp4' ends at frame 299, "
          "'c.mp4' starts at 450)");
    CHECK(refusal({segment("b.mp4", 100, 100)}) ==
          "frames 0-99 are missing: no segment starts at 0 (the first segment, 'b.mp4', starts "
          "at 100)");
    CHECK(refusal({segment("a.mp4", 0, 300)}, 450) ==
          "frames 300-449 are missing: no segment starts at 300 (--frames is 450)");
    CHECK(refusal({segment("a.mp4", 0, 300)}, 200) ==
          "the segments hold 300 frames, but --frames is 200");
}

TEST_CASE("an overlap is refused naming both segments") {
    CHECK(refusal({segment("b.mp4", 250, 300), segment("a.mp4", 0, 300)}) ==
          "segment 'b.mp4' (frames 250-549) overlaps 'a.mp4' (frames 0-299): frames 250-299 are "
          "in both; remove one");
}

TEST_CASE("segments that differ are refused naming the difference") {
    auto other_size = segment("b.mp4", 100, 100);
    other_size.properties[1].second = "640";
    CHECK(refusal({segment("a.mp4", 0, 100), other_size}) ==
          "segment 'b.mp4' does not match 'a.mp4': its width is 640, not 320: make every segment "
          "with the same preset, --size, --pix-fmt and --fps");
    CHECK(refusal({segment("a.mp4", 0, 100), segment("b.mp4", 100, 100, "x264-crf23")}) ==
          "segment 'b.mp4' was made with preset x264-crf23, but 'a.mp4' with x264-crf17: make "
          "every segment with the same preset, --size, --pix-fmt and --fps");
    auto other_rate = segment("b.mp4", 100, 100);
    other_rate.tag->rate = Rational{60, 1};
    CHECK(refusal({segment("a.mp4", 0, 100), other_rate}) ==
          "segment 'b.mp4' is 60 fps, but 'a.mp4' is 30 fps: make every segment with the same "
          "preset, --size, --pix-fmt and --fps");
}

TEST_CASE("untagged, damaged and truncated segments are refused") {
    auto untagged = segment("x.mp4", 0, 100);
    untagged.tag.reset();
    CHECK(refusal({untagged}) == "'x.mp4' is not a framepipe segment (it has no segment tag): "
                                 "make each segment with 'framepipe --segment-start N ...'");
    auto cut = segment("a.mp4", 0, 300);
    cut.frames = 120;
    CHECK(refusal({cut}) == "segment 'a.mp4' is truncated: its index lists 300 frames but only "
                            "120 can be read; make it again");
    auto cut_mkv = segment("a.mkv", 0, 120);
    cut_mkv.index_frames.reset();
    cut_mkv.duration = 10.0;
    CHECK(refusal({cut_mkv}) == "segment 'a.mkv' is truncated: it should last 300 frames but "
                                "only 120 can be read; make it again");
    auto damaged = segment("a.mp4", 0, 300);
    damaged.problems = {"moov atom not found"};
    CHECK(refusal({damaged}) == "segment 'a.mp4' is damaged or truncated (ffprobe: moov atom not "
                                "found): make it again");
}

TEST_CASE("the concat list states exact durations and quotes names") {
    CHECK(seconds_text(frame_start_micros(300, Rational{30, 1})) == "10.000000");
    CHECK(seconds_text(frame_start_micros(100, Rational{30000, 1001})) == "3.336667");
    CHECK(seconds_text(frame_start_micros(1, Rational{60, 1})) == "0.016667");
    // One-frame segments: durations alternate so their sum never drifts from the frame grid.
    auto many = concat_list(
        {segment("/v/a.mp4", 0, 1), segment("/v/b.mp4", 1, 1), segment("/v/c.mp4", 2, 1)});
    CHECK(many == "ffconcat version 1.0\nfile '/v/a.mp4'\nduration 0.033333\nfile "
                  "'/v/b.mp4'\nduration 0.033334\nfile '/v/c.mp4'\nduration 0.033333\n");
    CHECK(ffconcat_quote("/v/it's.mp4") == "'/v/it'\\''s.mp4'");
    auto list = concat_list({segment("/v/a.mp4", 0, 300)});
    CHECK(list == "ffconcat version 1.0\nfile '/v/a.mp4'\nduration 10.000000\n");
}

TEST_CASE("the segment probe's JSON is read") {
    const char* json = R"({"streams": [{"codec_name": "h264", "profile": "High", "width": 320,
        "height": 240, "pix_fmt": "yuv420p", "time_base": "1/15360", "nb_frames": "10",
        "nb_read_packets": "10", "extradata_hash": "SHA256:ab"}],
        "format": {"duration": "0.333", "tags": {"comment":
        "framepipe-segment start=20 rate=30/1 preset=x"}}})";
    auto s = parse_segment_probe("a.mp4", json);
    REQUIRE(s.tag);
    CHECK(s.tag->start == 20);
    CHECK(s.frames == 10);
    CHECK(s.index_frames == std::optional<std::uint64_t>(10));
    CHECK(s.properties.front() == std::pair<std::string, std::string>{"codec", "h264"});
    CHECK(s.properties.back().second == "SHA256:ab");
    CHECK_THROWS_AS(parse_segment_probe("a.mp4", "{\"streams\": []}"), Error);
}

TEST_CASE("a probe report of the wrong shape is refused naming the segment") {
    // Found by reading for the segment_probe fuzz target: nlohmann's value() threw its own
    // type_error on these, which ended concat as an internal error.
    auto refusal = [](const char* json) -> std::string {
        try {
            parse_segment_probe("a.mp4", json);
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::segments);
            return e.what();
        }
        return "(accepted)";
    };
    CHECK(refusal(R"({"streams": [1]})") ==
          "cannot read segment 'a.mp4': ffprobe's report lists a stream that is not a JSON object "
          "(is --ffprobe really ffprobe?)");
    CHECK(refusal(R"({"streams": {"codec_name": "h264"}})") ==
          "segment 'a.mp4' has no video stream: is it a framepipe segment?");
    // A format or tags of another shape only means no duration and no tag.
    auto s = parse_segment_probe("a.mp4", R"({"streams": [{"nb_read_packets": "3"}],
        "format": ["duration"]})");
    CHECK(s.frames == 3);
    CHECK_FALSE(s.duration);
    CHECK_FALSE(parse_segment_probe("a.mp4", R"({"streams": [{}], "format": {"tags": "x"}})").tag);
    // Counts are ffprobe's digits: stoull took "-1" as 2^64-1 frames.
    auto negative = parse_segment_probe(
        "a.mp4", R"({"streams": [{"nb_read_packets": "-1", "nb_frames": " 10"}]})");
    CHECK(negative.frames == 0);
    CHECK_FALSE(negative.index_frames);
}

TEST_CASE("timestamps must be every frame once, in any order") {
    const Rational rate{30, 1}, mp4{1, 15360}, webm{1, 1000};
    TimestampCheck ok(4, rate, mp4);
    for (auto pts : {0, 1536, 512, 1024}) // decode order with a B-frame
        ok.add(pts);
    CHECK_FALSE(ok.result());

    TimestampCheck rounded(4, rate, webm);
    for (auto pts : {0, 33, 67, 100})
        rounded.add(pts);
    CHECK_FALSE(rounded.result());

    TimestampCheck gap(3, rate, mp4);
    for (auto pts : {0, 512, 1536})
        gap.add(pts);
    CHECK(gap.result() ==
          std::optional<std::string>("a frame at 0.100000 s is past the last of the 3 frames"));

    TimestampCheck twice(3, rate, mp4);
    for (auto pts : {0, 512, 512})
        twice.add(pts);
    CHECK(twice.result() == std::optional<std::string>("frame 1 appears twice"));

    TimestampCheck off_grid(3, rate, mp4);
    for (auto pts : {0, 700, 1024})
        off_grid.add(pts);
    CHECK(off_grid.result() ==
          std::optional<std::string>(
              "a frame at 0.045573 s is not on the frame grid (frames are 0.033333 s apart)"));

    // Timestamps 2^64 ticks apart: their difference overflowed int64, and a frame index beyond
    // 64 bits was converted before it was compared (both undefined, found under UBSan).
    TimestampCheck far(3, rate, mp4);
    far.add(std::numeric_limits<std::int64_t>::max());
    far.add(std::numeric_limits<std::int64_t>::min());
    REQUIRE(far.result());
    CHECK(far.result()->ends_with(" s is not on the frame grid (frames are 0.033333 s apart)"));
    // A million fps in milliseconds: 2^64 ticks are 1.8e22 frames.
    TimestampCheck beyond(3, Rational{1000000, 1}, webm);
    beyond.add(std::numeric_limits<std::int64_t>::min());
    beyond.add(std::numeric_limits<std::int64_t>::max());
    REQUIRE(beyond.result());
    CHECK(beyond.result()->ends_with("s is past the last of the 3 frames"));

    TimestampCheck short_one(3, rate, mp4);
    short_one.add(0);
    CHECK(short_one.result() ==
          std::optional<std::string>("it holds 1 frames, not the 3 of the segments"));
    CHECK(parse_time_base("1/15360") == std::optional<Rational>(Rational{1, 15360}));
    CHECK_FALSE(parse_time_base("N/A"));
}

TEST_CASE("the join check reads ffprobe's compact report") {
    const Rational rate{30, 1}, tb{1, 15360};
    auto report = [&](std::vector<std::string> lines, bool errors = false) {
        JoinReport r(3, 2, rate, tb);
        for (const auto& l : lines)
            r.add_line(l);
        return r.result(errors);
    };
    const std::vector<std::string> good{"packet|pts=0", "packet|pts=512", "packet|pts=1024",
                                        "stream|time_base=1/15360|nb_read_frames=2"};
    CHECK_FALSE(report(good));
    CHECK(report(good, true) == std::optional<std::string>("it does not decode cleanly"));
    CHECK(report({"packet|pts=0", "packet|pts=512", "packet|pts=1024",
                  "stream|time_base=1/1000|nb_read_frames=2"}) ==
          std::optional<std::string>("its time base is 1/1000, not 1/15360"));
    CHECK(report({"packet|pts=0", "packet|pts=512", "packet|pts=1024",
                  "stream|time_base=1/15360|nb_read_frames=1"}) ==
          std::optional<std::string>(
              "only 1 key frames decode, but each of the 2 segments starts with one"));
    CHECK(report({"packet|pts=0", "packet|pts=N/A", "packet|pts=1024",
                  "stream|time_base=1/15360|nb_read_frames=2"}) ==
          std::optional<std::string>("packet 2 has no timestamp"));
    CHECK(joined_time_base(container_for("a.mkv"), rate) == Rational{1, 1000});
    CHECK(joined_time_base(container_for("a.mov"), rate) == Rational{1, 15360});
}

TEST_CASE("Matroska segments are not joined into an mp4") {
    auto mkv = segment("a.mkv", 0, 10);
    mkv.properties.emplace_back("time base", "1/1000");
    auto mp4 = segment("a.mp4", 0, 10);
    mp4.properties.emplace_back("time base", "1/15360");
    try {
        check_join_container({mkv}, container_for("out.mp4"), "out.mp4");
        FAIL("accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        CHECK(std::string(e.what()) ==
              "cannot join 'a.mkv' and the other segments into 'out.mp4': their time base "
              "(1/1000 s) cannot hold 30 fps frames evenly in an mp4 or mov; join them into .mkv "
              "or .webm, or make .mp4 or .mov segments");
    }
    CHECK_NOTHROW(check_join_container({mkv}, container_for("out.mkv"), "out.mkv"));
    CHECK_NOTHROW(check_join_container({mp4}, container_for("out.mov"), "out.mov"));
}
