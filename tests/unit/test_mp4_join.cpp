// framepipe's own join of MP4/MOV segments (concat/mp4_join.h), on the indexes of real segments
// ffmpeg wrote for framepipe (the mp4_index fuzz seeds): the joined index must be what the
// segments' samples make, read back by the same readers that verify a join, and every layout it
// does not carry must be refused so that ffmpeg joins it instead.
#include "catch.h"
#include "concat/joined_index.h"
#include "concat/mp4_boxes.h"
#include "concat/mp4_join.h"
#include "concat/mp4_samples.h"
#include "concat/mp4_segment.h"
#include "mp4_test_support.h"
#include "test_support.h"

#include <string>

using namespace framepipe;
using framepipe::testing::be;
using framepipe::testing::box;
using framepipe::testing::read_file;

namespace {

struct Seed {
    std::string moov;
    std::uint64_t file_size = 0;
};

// A seed is its file's size (4 bytes) and its moov payload.
Seed seed(const std::string& name) {
    const std::string bytes =
        read_file(std::string(FRAMEPIPE_SOURCE_DIR) + "/tests/fuzz/corpus/mp4_index/" + name);
    Seed s;
    for (int i = 0; i < 4; ++i)
        s.file_size = s.file_size << 8 | static_cast<unsigned char>(bytes[i]);
    s.moov = bytes.substr(4);
    return s;
}

const std::string kFtyp = box("ftyp", "isom" + be(512, 4) + "isomiso2avc1mp41");

// The joined file's moov payload, from its header.
std::string joined_moov(const std::string& header) {
    auto moov = mp4::child(header, "moov");
    REQUIRE(moov);
    return std::string(*moov);
}

// `boxes` with every `type` box inside (at any depth of the track's containers) replaced by
// `replacement`, the containers' sizes following.
std::string with_box(std::string_view boxes, std::string_view type,
                     const std::string& replacement) {
    std::string out;
    mp4::Boxes list(boxes);
    while (auto b = list.next()) {
        if (b->type == type)
            out += replacement;
        else if (b->type == "trak" || b->type == "mdia" || b->type == "minf" || b->type == "stbl" ||
                 b->type == "edts")
            out += box(b->type, with_box(b->payload, type, replacement));
        else
            out += box(b->type, std::string(b->payload));
    }
    return out;
}

} // namespace

TEST_CASE("segments joined by framepipe read back as one video of all their frames") {
    for (const char* name : {"seg-x264-mp4-moov", "seg-x264-reordered-mp4-moov", "seg-av1-mp4-moov",
                             "seg-prores-mov-moov"}) {
        INFO(name);
        const Seed s = seed(name);
        const auto one = Mp4Samples::open(s.moov);
        REQUIRE(one);
        const std::uint64_t frames = one->count();
        Mp4Join join;
        REQUIRE(join.add(kFtyp, s.moov, s.file_size));
        REQUIRE(join.add(kFtyp, s.moov, s.file_size));
        REQUIRE(join.add(kFtyp, s.moov, s.file_size));
        const auto header = join.header();
        REQUIRE(header);
        CHECK(header->starts_with(kFtyp));
        const std::string moov = joined_moov(*header);

        // Frame count, timing, key frames and sizes, as a join is verified.
        const auto samples = Mp4Samples::open(moov);
        REQUIRE(samples);
        CHECK(samples->count() == 3 * frames);
        const auto timescale = samples->timescale();
        const auto segment = parse_mp4_index("a.mp4", s.moov, s.file_size);
        REQUIRE(segment);
        REQUIRE(segment->tag);
        const Rational rate = segment->tag->rate;
        auto check = JoinedIndexCheck::open(moov, 3 * frames, rate, {1, timescale});
        REQUIRE(check);
        for (int i = 0; i < 3; ++i)
            check->add_segment("seg", s.moov, frames);
        CHECK(check->result() == std::nullopt);

        // The sample data: each segment's one range, copied after the header in order.
        REQUIRE(join.data().size() == 3);
        const auto range = join.data()[0];
        CHECK(range.length > 0);
        CHECK(range.offset + range.length <= s.file_size);
        CHECK(join.data()[2].offset == range.offset);
        const std::string mdat = header->substr(header->size() - 8);
        CHECK(mdat == be(3 * range.length + 8, 4) + "mdat");

        // Durations of all the frames (in the movie's time scale rounded up, as ffmpeg writes
        // them); the joined video is no segment; no bitrate box.
        const auto mdhd =
            mp4::read_timing(*mp4::descend(*mp4::video_track(s.moov), {"mdia", "mdhd"}));
        const auto mvhd = mp4::read_timing(*mp4::child(s.moov, "mvhd"));
        const auto joined_mvhd = mp4::read_timing(*mp4::child(moov, "mvhd"));
        REQUIRE(mdhd);
        REQUIRE(mvhd);
        REQUIRE(joined_mvhd);
        CHECK(joined_mvhd->duration ==
              (3 * mdhd->duration * mvhd->timescale + mdhd->timescale - 1) / mdhd->timescale);
        const auto joined = parse_mp4_index("joined.mp4", moov, header->size() + 3 * range.length);
        REQUIRE(joined);
        CHECK_FALSE(joined->tag);
        CHECK(joined->frames == 3 * frames);
        CHECK(joined->properties == segment->properties);
        CHECK(moov.find("btrt") == std::string::npos);
    }
}

TEST_CASE("the first chunk of each segment points at its data in the joined file") {
    const Seed s = seed("seg-x264-mp4-moov");
    Mp4Join join;
    REQUIRE(join.add(kFtyp, s.moov, s.file_size));
    REQUIRE(join.add(kFtyp, s.moov, s.file_size));
    const auto header = join.header();
    REQUIRE(header);
    // Joined samples present in a file of exactly header + data: every one lies within it.
    const std::uint64_t length = join.data()[0].length;
    auto whole = parse_mp4_index("j.mp4", joined_moov(*header), header->size() + 2 * length);
    auto cut = parse_mp4_index("j.mp4", joined_moov(*header), header->size() + 2 * length - 1);
    REQUIRE(whole);
    REQUIRE(cut);
    CHECK(whole->frames == whole->index_frames);
    CHECK(cut->frames + 1 == whole->frames);
}

TEST_CASE("layouts framepipe does not join itself are refused, for ffmpeg to join") {
    const Seed s = seed("seg-x264-mp4-moov");
    auto refused = [&](const std::string& second, std::string_view ftyp = kFtyp) {
        Mp4Join join;
        REQUIRE(join.add(kFtyp, s.moov, s.file_size));
        CHECK_FALSE(join.add(ftyp, second, s.file_size));
        return join.why();
    };
    CHECK(refused(s.moov, box("ftyp", "mp42" + be(0, 4) + "mp42isom")) ==
          "its file type box differs from the first segment's");
    CHECK(refused(s.moov, "") == "it has no file type box");
    CHECK(refused(s.moov + box("mvex", "")) == "its index has a 'mvex' box");
    CHECK(refused(with_box(s.moov, "stss", box("sgpd", std::string(12, '\0')))) ==
          "its sample tables have a 'sgpd' box");
    // Another frame duration: stts of one run.
    const auto frames = Mp4Samples::open(s.moov)->count();
    CHECK(refused(with_box(s.moov, "stts",
                           box("stts", be(0, 4) + be(1, 4) + be(frames, 4) + be(300, 4)))) ==
          "its time scale or frame duration differs from the first segment's");
    // Two chunks, the second starting one byte after the first ends, then right after it.
    auto samples = Mp4Samples::open(s.moov);
    const auto first = samples->next()->size, second = samples->next()->size;
    auto stco = mp4::descend(*mp4::video_track(s.moov), {"mdia", "minf", "stbl", "stco"});
    REQUIRE(stco);
    const std::string start = std::string(stco->substr(8, 4));
    std::uint32_t at = 0;
    for (char c : start)
        at = at << 8 | static_cast<unsigned char>(c);
    const std::string runs = box("stsc", be(0, 4) + be(2, 4) + be(1, 4) + be(2, 4) + be(1, 4) +
                                             be(2, 4) + be(frames - 2, 4) + be(1, 4));
    for (std::uint32_t gap : {1u, 0u}) {
        const std::string chunks =
            box("stco", be(0, 4) + be(2, 4) + start + be(at + first + second + gap, 4));
        const std::string two = with_box(with_box(s.moov, "stsc", runs), "stco", chunks);
        if (gap == 1) {
            CHECK(refused(two) == "its samples are not stored one after another");
        } else {
            Mp4Join join;
            REQUIRE(join.add(kFtyp, s.moov, s.file_size));
            CHECK(join.add(kFtyp, two, s.file_size));
        }
    }
    // A run of chunks starting past the last chunk would overlap the next segment's chunks.
    const std::string beyond = box("stsc", be(0, 4) + be(2, 4) + be(1, 4) + be(frames, 4) +
                                               be(1, 4) + be(5, 4) + be(1, 4) + be(1, 4));
    CHECK(refused(with_box(s.moov, "stsc", beyond)) ==
          "its sample tables are not the plain layout (chunks)");
    CHECK(refused("") == "its index is not one video track");
}

TEST_CASE("a segment reordered later than the first is refused, one reordered less is not") {
    // Segment presentation starts (edit list media times): the first's must be the largest.
    const Seed s = seed("seg-x264-reordered-mp4-moov"); // 30 frames, B-frames
    const auto elst = mp4::descend(*mp4::video_track(s.moov), {"edts", "elst"});
    REQUIRE(elst);
    std::string later(*elst), none(*elst);
    later.replace(12, 4, be(100000, 4)); // version 0: duration at 8, media time at 12
    none.replace(12, 4, be(0, 4));
    Mp4Join join;
    REQUIRE(join.add(kFtyp, s.moov, s.file_size));
    CHECK_FALSE(join.add(kFtyp, with_box(s.moov, "elst", box("elst", later)), s.file_size));
    CHECK(join.why().starts_with("its frames are reordered"));

    // Shown from media time 0, the same frames come later (by the first segment's delay S)
    // than in the first segment: the join keeps them so, through their composition offsets.
    Mp4Join shorter;
    REQUIRE(shorter.add(kFtyp, s.moov, s.file_size));
    CHECK(shorter.add(kFtyp, with_box(s.moov, "elst", box("elst", none)), s.file_size));
    const auto header = shorter.header();
    REQUIRE(header);
    const std::string moov = joined_moov(*header); // Mp4Samples reads it in place
    auto samples = Mp4Samples::open(moov);
    REQUIRE(samples);
    std::vector<std::int64_t> pts;
    while (auto sample = samples->next())
        pts.push_back(sample->pts);
    const auto track = mp4::read_timing(*mp4::descend(*mp4::video_track(s.moov), {"mdia", "mdhd"}));
    const std::size_t n = pts.size() / 2;
    const auto frame_ticks = static_cast<std::int64_t>(track->duration / n);
    const std::int64_t delay = *Mp4Samples::open(s.moov)->presentation_start();
    CHECK(delay > 0);
    for (std::size_t i = 0; i < n; ++i)
        CHECK(pts[n + i] - pts[i] == static_cast<std::int64_t>(n) * frame_ticks + delay);
}

TEST_CASE("a join past 4 GiB gets 64-bit chunk offsets and a 64-bit media data size") {
    const Seed s = seed("seg-x264-mp4-moov");
    const auto frames = Mp4Samples::open(s.moov)->count();
    // Every sample 1 GiB, in a file that would hold them.
    const std::uint64_t sample = 1u << 30;
    const std::string big =
        with_box(s.moov, "stsz", box("stsz", be(0, 4) + be(sample, 4) + be(frames, 4)));
    const std::uint64_t file_size = 4096 + frames * sample;
    Mp4Join join;
    REQUIRE(join.add(kFtyp, big, file_size));
    const auto header = join.header();
    REQUIRE(header);
    const std::uint64_t data = frames * sample;
    CHECK(join.data()[0].length == data);
    CHECK(header->substr(header->size() - 16) == be(1, 4) + "mdat" + be(data + 16, 8));
    const std::string moov = joined_moov(*header);
    CHECK(mp4::descend(*mp4::video_track(moov), {"mdia", "minf", "stbl", "co64"}));
    const auto whole = parse_mp4_index("j.mp4", moov, header->size() + data);
    REQUIRE(whole);
    CHECK(whole->frames == frames);
    CHECK(parse_mp4_index("j.mp4", moov, header->size() + data - 1)->frames == frames - 1);
}

TEST_CASE("a join whose index would pass 4 MiB is left to ffmpeg") {
    // 30 frames with B-frames a segment: about as much index a frame as a long x264 join.
    const Seed s = seed("seg-x264-reordered-mp4-moov");
    Mp4Join join;
    std::uint64_t frames = 0;
    while (join.add(kFtyp, s.moov, s.file_size))
        frames += 30;
    CHECK(join.why() == "the joined index would pass 4 MiB");
    CHECK(frames > 250000); // what cli.md promises, give or take
    CHECK(frames < 400000);
}

TEST_CASE("nothing joined gives no header") {
    Mp4Join join;
    CHECK_FALSE(join.header());
    CHECK(join.why() == "there are no segments");
}
