// framepipe concat's own reading of a segment's MP4/MOV index: what it takes from each box, how it
// counts the samples a truncated file still holds, and which layouts it leaves to ffprobe.
#include "catch.h"
#include "concat/mp4_segment.h"
#include "mp4_test_support.h"

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace framepipe;
using framepipe::testing::be;
using framepipe::testing::box;
using framepipe::testing::kVersionFlags;

namespace {

struct Track {
    std::string fourcc = "avc1";
    std::string config = box("avcC", "\x01\x64\x00\x1f" + std::string("sps-and-pps"));
    std::string colr = box("colr", "nclx" + be(1, 2) + be(1, 2) + be(1, 2) + be(0, 1));
    std::uint32_t timescale = 15360;
    std::vector<std::uint32_t> sizes{100, 200, 300, 400, 500};
    std::vector<std::pair<std::uint32_t, std::uint32_t>> runs{{1, 5}}; // stsc: first chunk, samples
    std::vector<std::uint32_t> chunk_offsets{1000};
    std::string handler = "vide";
};

std::string sample_entry(const Track& t) {
    std::string visual = std::string(6, '\0') + be(1, 2) + std::string(16, '\0') + be(320, 2) +
                         be(240, 2) + std::string(50, '\0');
    return box(t.fourcc, visual + t.config + t.colr);
}

std::string stbl(const Track& t) {
    std::string stsz = kVersionFlags + be(0, 4) + be(t.sizes.size(), 4);
    for (auto s : t.sizes)
        stsz += be(s, 4);
    std::string stsc = kVersionFlags + be(t.runs.size(), 4);
    for (auto [first, samples] : t.runs)
        stsc += be(first, 4) + be(samples, 4) + be(1, 4);
    std::string stco = kVersionFlags + be(t.chunk_offsets.size(), 4);
    for (auto o : t.chunk_offsets)
        stco += be(o, 4);
    return box("stbl", box("stsd", kVersionFlags + be(1, 4) + sample_entry(t)) + box("stsz", stsz) +
                           box("stsc", stsc) + box("stco", stco));
}

std::string trak(const Track& t) {
    std::string mdhd = kVersionFlags + be(0, 4) + be(0, 4) + be(t.timescale, 4) + be(1536, 4);
    std::string hdlr = kVersionFlags + be(0, 4) + t.handler + std::string(12, '\0');
    return box("trak", box("mdia", box("mdhd", mdhd) + box("hdlr", hdlr) + box("minf", stbl(t))));
}

std::string mvhd() {
    return box("mvhd", kVersionFlags + be(0, 4) + be(0, 4) + be(1000, 4) + be(500, 4));
}

std::string itunes_comment(const std::string& text) {
    std::string data = box("data", be(1, 4) + be(0, 4) + text);
    std::string ilst = box("ilst", box("\xa9"
                                       "cmt",
                                       data));
    return box("udta", box("meta", kVersionFlags + box("hdlr", std::string(25, '\0')) + ilst));
}

const std::string kTag = "framepipe-segment start=300 rate=30/1 preset=x264-crf17";

// A moov payload (without its own header), as parse_mp4_index takes it.
std::string moov(const Track& t, const std::string& extra = itunes_comment(kTag)) {
    return mvhd() + trak(t) + extra;
}

std::string value(const SegmentInfo& s, std::string_view label) {
    for (const auto& [name, v] : s.properties)
        if (name == label)
            return v;
    return "(no such property)";
}

} // namespace

TEST_CASE("an MP4 index gives the segment's tag, sample counts and stream properties") {
    auto s = parse_mp4_index("a.mp4", moov(Track{}), 100000);
    REQUIRE(s);
    CHECK(s->path == "a.mp4");
    REQUIRE(s->tag);
    CHECK(s->tag->start == 300);
    CHECK(s->tag->preset == "x264-crf17");
    CHECK(s->frames == 5);
    CHECK(s->index_frames == 5);
    CHECK(s->duration == 0.5);
    CHECK(value(*s, "codec") == "h264");
    CHECK(value(*s, "profile") == "High");
    CHECK(value(*s, "width") == "320");
    CHECK(value(*s, "height") == "240");
    CHECK(value(*s, "colour range") == "tv");
    CHECK(value(*s, "colour matrix") == "bt709");
    CHECK(value(*s, "primaries") == "bt709");
    CHECK(value(*s, "time base") == "1/15360");
    // The same labels, in the same order, as the ffprobe reading.
    REQUIRE(s->properties.size() == 11);
    CHECK(s->properties.front().first == "codec");
    CHECK(s->properties.back().first == "codec headers (extradata)");
}

TEST_CASE("different codec headers or colour tags read as different properties") {
    Track other;
    other.config = box("avcC", "\x01\x64\x00\x1f" + std::string("other-sps"));
    auto a = parse_mp4_index("a.mp4", moov(Track{}), 100000);
    auto b = parse_mp4_index("b.mp4", moov(other), 100000);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(value(*a, "codec headers (extradata)") != value(*b, "codec headers (extradata)"));
    other = Track{};
    other.colr = box("colr", "nclx" + be(9, 2) + be(16, 2) + be(9, 2) + be(0x80, 1));
    b = parse_mp4_index("b.mp4", moov(other), 100000);
    REQUIRE(b);
    CHECK(value(*b, "primaries") == "bt2020");
    CHECK(value(*b, "transfer") == "smpte2084");
    CHECK(value(*b, "colour matrix") == "bt2020nc");
    CHECK(value(*b, "colour range") == "pc");
    CHECK(value(*a, "codec headers (extradata)") == value(*b, "codec headers (extradata)"));
}

TEST_CASE("samples past the end of a truncated file are listed but not present") {
    // Samples at 1000 (100 bytes), 1100 (200), 1300 (300), 1600 (400), 2000 (500).
    auto s = parse_mp4_index("cut.mp4", moov(Track{}), 2000);
    REQUIRE(s);
    CHECK(s->index_frames == 5);
    CHECK(s->frames == 4);
    CHECK(parse_mp4_index("cut.mp4", moov(Track{}), 1999)->frames == 3); // one byte short
    CHECK(parse_mp4_index("cut.mp4", moov(Track{}), 2500)->frames == 5);
    CHECK(parse_mp4_index("cut.mp4", moov(Track{}), 999)->frames == 0);
}

TEST_CASE("samples are found through runs of chunks of different sizes") {
    Track t;
    t.runs = {{1, 2}, {3, 1}}; // chunks 1 and 2 hold 2 samples each, chunk 3 one
    t.chunk_offsets = {1000, 5000, 9000};
    // Chunk 2 holds samples 3 and 4 (300 + 400 bytes from 5000); chunk 3 sample 5 at 9000.
    CHECK(parse_mp4_index("a.mp4", moov(t), 9499)->frames == 4);
    CHECK(parse_mp4_index("a.mp4", moov(t), 5699)->frames == 3);
    CHECK(parse_mp4_index("a.mp4", moov(t), 9500)->frames == 5);
}

TEST_CASE("a MOV's QuickTime-style comment, colour and ProRes profile are read") {
    Track t;
    t.fourcc = "apch";
    t.config = "";
    t.colr = box("colr", "nclc" + be(1, 2) + be(1, 2) + be(1, 2));
    const std::string qt_comment = box("udta", box("\xa9"
                                                   "cmt",
                                                   be(kTag.size(), 2) + be(0, 2) + kTag));
    auto s = parse_mp4_index("a.mov", moov(t, qt_comment), 100000);
    REQUIRE(s);
    REQUIRE(s->tag);
    CHECK(s->tag->start == 300);
    CHECK(value(*s, "codec") == "prores");
    CHECK(value(*s, "profile") == "HQ");
    CHECK(value(*s, "colour matrix") == "bt709");
    CHECK(value(*s, "colour range") == "none"); // nclc has no range
    CHECK(value(*s, "codec headers (extradata)") == "none");
}

TEST_CASE("an index without framepipe's comment gives a segment without a tag") {
    auto s = parse_mp4_index("plain.mp4", moov(Track{}, ""), 100000);
    REQUIRE(s);
    CHECK_FALSE(s->tag);
    s = parse_mp4_index("plain.mp4", moov(Track{}, itunes_comment("made by hand")), 100000);
    REQUIRE(s);
    CHECK_FALSE(s->tag);
}

TEST_CASE("layouts other than the plain one are left to ffprobe") {
    CHECK_FALSE(parse_mp4_index("a.mp4", moov(Track{}) + box("mvex", ""), 100000));
    Track audio;
    audio.handler = "soun";
    CHECK_FALSE(parse_mp4_index("a.mp4", moov(audio), 100000));
    Track disagreeing;
    disagreeing.runs = {{1, 2}}; // one chunk of 2 samples cannot hold the 5 stsz lists
    CHECK_FALSE(parse_mp4_index("a.mp4", moov(disagreeing), 100000));
    Track unordered;
    unordered.runs = {{1, 2}, {1, 3}};
    unordered.chunk_offsets = {1000, 2000};
    CHECK_FALSE(parse_mp4_index("a.mp4", moov(unordered), 100000));
    const auto whole = moov(Track{});
    CHECK_FALSE(parse_mp4_index("a.mp4", whole.substr(0, whole.size() / 2), 100000));
    CHECK_FALSE(parse_mp4_index("a.mp4", "", 100000));
}

TEST_CASE("a file's index is found among its top-level boxes, after the media data too") {
    char name[] = "/tmp/framepipe-mp4-XXXXXX";
    const int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    const std::string ftyp = box("ftyp", "isom" + be(512, 4) + "isomiso2avc1mp41");
    Track t;
    t.chunk_offsets = {static_cast<std::uint32_t>(ftyp.size() + 8)};
    const std::string mdat = box("mdat", std::string(1500, 'x'));
    for (bool index_first : {true, false}) {
        {
            std::ofstream out(name, std::ios::binary | std::ios::trunc);
            const std::string index = box("moov", moov(t));
            if (index_first)
                t.chunk_offsets = {static_cast<std::uint32_t>(ftyp.size() + index.size() + 8)};
            out << ftyp << (index_first ? box("moov", moov(t)) + mdat : mdat + index);
        }
        auto s = read_mp4_segment(name);
        REQUIRE(s);
        CHECK(s->frames == 5);
        REQUIRE(s->tag);
        CHECK(s->tag->start == 300);
    }
    {
        std::ofstream out(name, std::ios::binary | std::ios::trunc);
        out << "\x1a\x45\xdf\xa3 a Matroska file, not an MP4";
    }
    CHECK_FALSE(read_mp4_segment(name));
    ::unlink(name);
    CHECK_FALSE(read_mp4_segment(name));
}
