// Verifying a joined MP4/MOV from its own index: each sample's time, size and key flag as the
// sample tables give them, and every way the joined tables can disagree with the segments'.
#include "catch.h"
#include "concat/joined_index.h"
#include "concat/mp4_samples.h"
#include "mp4_test_support.h"

#include <optional>
#include <vector>

using namespace framepipe;
using framepipe::testing::be;
using framepipe::testing::box;
using framepipe::testing::kVersionFlags;

namespace {

constexpr Rational kRate{60, 1};
constexpr Rational kTimeBase{1, 15360}; // 256 ticks a frame

// A video track's sample tables; per sample, so a test changes one sample.
struct Table {
    std::uint32_t timescale = 15360;
    std::vector<std::uint32_t> sizes, durations;
    std::vector<std::int64_t> offsets; // ctts; none: no ctts box
    bool signed_offsets = false;
    std::vector<std::uint32_t> sync;  // stss, 1-based; none: no stss box (every sample a key)
    std::optional<std::int64_t> edit; // a single edit's media time; none: no edit list
};

// `frames` frames with B-frame style reordering (I P B B ...): as x264 writes them, decode times
// from 0 and presentation two frames later.
Table reordered(std::uint32_t frames, std::uint32_t first_size = 1000) {
    Table t;
    for (std::uint32_t i = 0; i < frames; ++i) {
        t.sizes.push_back(first_size + i);
        t.durations.push_back(256);
    }
    // Decode order I0 P3 B1 B2 P6 B4 B5 ...; a tail too short for a group is not reordered.
    std::vector<std::int64_t> shown(frames);
    std::uint32_t i = 1;
    for (; i + 2 < frames; i += 3) {
        shown[i] = i + 2;
        shown[i + 1] = i;
        shown[i + 2] = i + 1;
    }
    for (; i < frames; ++i)
        shown[i] = i;
    for (i = 0; i < frames; ++i)
        t.offsets.push_back((shown[i] - i + 2) * 256);
    t.sync = {1};
    t.edit = 512;
    return t;
}

std::string runs(const std::vector<std::uint32_t>& values) {
    std::string out;
    std::uint32_t entries = 0;
    for (std::size_t i = 0; i < values.size();) {
        std::size_t j = i;
        while (j < values.size() && values[j] == values[i])
            ++j;
        out += be(j - i, 4) + be(values[i], 4);
        ++entries;
        i = j;
    }
    return kVersionFlags + be(entries, 4) + out;
}

std::string moov(const Table& t) {
    std::string stbl = box("stts", runs(t.durations));
    if (!t.offsets.empty()) {
        std::vector<std::uint32_t> raw;
        for (auto o : t.offsets)
            raw.push_back(static_cast<std::uint32_t>(o));
        std::string ctts = runs(raw);
        ctts[0] = t.signed_offsets ? 1 : 0;
        stbl += box("ctts", ctts);
    }
    if (!t.sync.empty()) {
        std::string stss = kVersionFlags + be(t.sync.size(), 4);
        for (auto s : t.sync)
            stss += be(s, 4);
        stbl += box("stss", stss);
    }
    std::string stsz = kVersionFlags + be(0, 4) + be(t.sizes.size(), 4);
    for (auto s : t.sizes)
        stsz += be(s, 4);
    stbl += box("stsz", stsz);
    std::string mdhd = kVersionFlags + be(0, 4) + be(0, 4) + be(t.timescale, 4) + be(0, 4);
    std::string hdlr = kVersionFlags + be(0, 4) + "vide" + std::string(12, '\0');
    std::string edts;
    if (t.edit)
        edts = box("edts",
                   box("elst", kVersionFlags + be(1, 4) + be(5000, 4) +
                                   be(static_cast<std::uint64_t>(*t.edit), 4) + be(0x10000, 4)));
    std::string trak = box("trak", edts + box("mdia", box("mdhd", mdhd) + box("hdlr", hdlr) +
                                                          box("minf", box("stbl", stbl))));
    return box("mvhd", kVersionFlags + be(0, 4) + be(0, 4) + be(1000, 4) + be(0, 4)) + trak;
}

// The join of `parts`, as ffmpeg writes it: the samples one after another, each segment's key
// frames where they were, the reordering and edit list of the first.
Table joined(const std::vector<Table>& parts) {
    Table out = parts.front();
    out.sizes.clear();
    out.durations.clear();
    out.offsets.clear();
    out.sync.clear();
    std::uint32_t base = 0;
    for (const auto& p : parts) {
        out.sizes.insert(out.sizes.end(), p.sizes.begin(), p.sizes.end());
        out.durations.insert(out.durations.end(), p.durations.begin(), p.durations.end());
        out.offsets.insert(out.offsets.end(), p.offsets.begin(), p.offsets.end());
        for (auto s : p.sync)
            out.sync.push_back(s + base);
        base += static_cast<std::uint32_t>(p.sizes.size());
    }
    return out;
}

// What JoinedIndexCheck finds in `joined_table` made of `parts`.
std::optional<std::string> verdict(const Table& joined_table, const std::vector<Table>& parts,
                                   std::uint64_t* key_frames = nullptr) {
    std::uint64_t frames = 0;
    for (const auto& p : parts)
        frames += p.sizes.size();
    const std::string index = moov(joined_table);
    auto check = JoinedIndexCheck::open(index, frames, kRate, kTimeBase);
    REQUIRE(check);
    int n = 0;
    for (const auto& p : parts) {
        const std::string segment = moov(p);
        check->add_segment("part-" + std::to_string(n++) + ".mp4", segment, p.sizes.size());
    }
    auto result = check->result();
    if (key_frames)
        *key_frames = check->key_frames();
    return result;
}

} // namespace

TEST_CASE("a track's samples come in decode order with their presentation times") {
    const std::string index = moov(reordered(7));
    auto samples = Mp4Samples::open(index);
    REQUIRE(samples);
    CHECK(samples->count() == 7);
    CHECK(samples->timescale() == 15360);
    CHECK(samples->presentation_start() == 512);
    std::vector<std::int64_t> frames;
    std::vector<bool> keys;
    while (auto s = samples->next()) {
        frames.push_back((s->pts - 512) / 256);
        keys.push_back(s->key);
        CHECK(s->size == 1000 + frames.size() - 1);
    }
    CHECK(samples->ok());
    CHECK(frames == std::vector<std::int64_t>{0, 3, 1, 2, 6, 4, 5});
    CHECK(keys == std::vector<bool>{true, false, false, false, false, false, false});
}

TEST_CASE("signed composition offsets, no sync table and no edit list are read as such") {
    Table t;
    t.sizes = {10, 20, 30};
    t.durations = {100, 100, 100};
    t.offsets = {0, -100, 0};
    t.signed_offsets = true;
    const std::string index = moov(t);
    auto samples = Mp4Samples::open(index);
    REQUIRE(samples);
    CHECK(samples->presentation_start() == 0);
    std::vector<std::int64_t> pts;
    while (auto s = samples->next()) {
        pts.push_back(s->pts);
        CHECK(s->key); // without stss every sample is a sync sample
    }
    CHECK(samples->ok());
    CHECK(pts == std::vector<std::int64_t>{0, 0, 200});
}

TEST_CASE("sample tables that disagree on the count end the walk as not ok") {
    Table t = reordered(6);
    t.durations.pop_back(); // stts lists 5 of the 6
    std::string index = moov(t);
    auto samples = Mp4Samples::open(index);
    REQUIRE(samples);
    int n = 0;
    while (samples->next())
        ++n;
    CHECK(n == 5);
    CHECK_FALSE(samples->ok());

    t = reordered(6);
    t.offsets.push_back(0); // ctts lists 7
    index = moov(t);
    samples = Mp4Samples::open(index);
    REQUIRE(samples);
    while (samples->next()) {
    }
    CHECK_FALSE(samples->ok());
    CHECK_FALSE(Mp4Samples::open(""));
    CHECK_FALSE(Mp4Samples::open(index.substr(0, index.size() / 2)));
}

TEST_CASE("an empty edit or several edits leave no single presentation start") {
    Table t = reordered(4);
    t.edit = -1; // an empty edit: a delay, nothing of the media shown
    std::string index = moov(t);
    CHECK_FALSE(Mp4Samples::open(index)->presentation_start());
}

TEST_CASE("a join whose samples are the segments' in order passes, and its key frames count") {
    const std::vector<Table> parts{reordered(9, 1000), reordered(7, 2000), reordered(1, 3000)};
    std::uint64_t keys = 0;
    CHECK(verdict(joined(parts), parts, &keys) == std::nullopt);
    CHECK(keys == 3);
}

TEST_CASE("each way a joined index can be wrong is named") {
    const std::vector<Table> parts{reordered(9, 1000), reordered(7, 2000)};

    Table bigger = joined(parts);
    bigger.sizes[10] += 4; // frame 10 is frame 1 of the second segment
    CHECK(verdict(bigger, parts) ==
          "frame 10 is 2005 bytes, but it was 2001 bytes as frame 1 of segment 'part-1.mp4'");

    Table short_one = joined(parts);
    short_one.sizes.pop_back();
    short_one.durations.pop_back();
    short_one.offsets.pop_back();
    CHECK(verdict(short_one, parts) == "it holds 15 frames, not the 16 of the segments");

    Table off_grid = joined(parts);
    off_grid.durations[11] = 300;
    CHECK(verdict(off_grid, parts)->find("is not on the frame grid") != std::string::npos);

    Table twice = joined(parts);
    twice.offsets[12] = twice.offsets[13] + 256; // frames 12 and 13 shown at the same time
    CHECK(verdict(twice, parts)->find("appears twice") != std::string::npos);

    Table no_key = joined(parts);
    no_key.sync = {1};
    CHECK(verdict(no_key, parts) ==
          "frame 9, the first of segment 'part-1.mp4', is not a key frame");

    Table edited = joined(parts);
    edited.edit = 0;
    CHECK(verdict(edited, parts) == "its edit list does not start the video at its first frame");

    Table rescaled = joined(parts);
    rescaled.timescale = 90000;
    CHECK(verdict(rescaled, parts) == "its time base is 1/90000, not 1/15360");

    Table inconsistent = joined(parts);
    inconsistent.durations.pop_back();
    CHECK(verdict(inconsistent, parts) ==
          "its index is inconsistent: its sample tables disagree on the number of frames");
}

TEST_CASE("a segment whose index cannot be read is only counted and timed") {
    const std::vector<Table> parts{reordered(9, 1000), reordered(7, 2000)};
    Table changed = joined(parts);
    changed.sizes[10] += 4;
    const std::string index = moov(changed);
    auto check = JoinedIndexCheck::open(index, 16, kRate, kTimeBase);
    REQUIRE(check);
    const std::string first = moov(parts[0]);
    check->add_segment("part-0.mp4", first, 9);
    check->add_segment("part-1.mkv", std::nullopt, 7);
    CHECK(check->result() == std::nullopt);
    CHECK(check->key_frames() == 2);
}

TEST_CASE("an index that is not a readable video track is left to ffprobe") {
    CHECK_FALSE(JoinedIndexCheck::open("", 1, kRate, kTimeBase));
    CHECK_FALSE(JoinedIndexCheck::open(box("mvhd", std::string(100, '\0')), 1, kRate, kTimeBase));
}
