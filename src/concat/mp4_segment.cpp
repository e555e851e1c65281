#include "concat/mp4_segment.h"

#include "concat/mp4_boxes.h"

namespace framepipe {

namespace {

using mp4::Boxes;
using mp4::child;
using mp4::Cursor;
using mp4::descend;
using mp4::read_timing;

std::string codec_name(std::string_view fourcc) {
    if (fourcc == "avc1" || fourcc == "avc3")
        return "h264";
    if (fourcc == "hvc1" || fourcc == "hev1")
        return "hevc";
    if (fourcc == "av01")
        return "av1";
    if (fourcc == "vp09")
        return "vp9";
    if (fourcc.size() == 4 && fourcc.starts_with("ap"))
        return "prores";
    return std::string(fourcc);
}

// ITU-T H.273 code points, by the names ffmpeg (and so ffprobe and framepipe's -color_* options)
// gives them; other values by number.
std::string named(unsigned code, std::initializer_list<std::pair<unsigned, const char*>> names) {
    for (const auto& [value, name] : names)
        if (value == code)
            return name;
    return std::to_string(code);
}

struct Colour {
    std::string range = "none", matrix = "none", transfer = "none", primaries = "none";
};

Colour read_colour(std::string_view colr) {
    Colour out;
    Cursor c(colr);
    const auto kind = c.take(4);
    if (kind != "nclx" && kind != "nclc")
        return out;
    const auto primaries = static_cast<unsigned>(c.number(2));
    const auto transfer = static_cast<unsigned>(c.number(2));
    const auto matrix = static_cast<unsigned>(c.number(2));
    const auto full_range = kind == "nclx" ? std::optional(c.number(1) >> 7) : std::nullopt;
    if (!c.ok())
        return out;
    out.primaries = named(primaries, {{1, "bt709"},
                                      {2, "unknown"},
                                      {4, "bt470m"},
                                      {5, "bt470bg"},
                                      {6, "smpte170m"},
                                      {7, "smpte240m"},
                                      {9, "bt2020"}});
    out.transfer = named(transfer, {{1, "bt709"},
                                    {2, "unknown"},
                                    {6, "smpte170m"},
                                    {8, "linear"},
                                    {13, "iec61966-2-1"},
                                    {14, "bt2020-10"},
                                    {16, "smpte2084"},
                                    {18, "arib-std-b67"}});
    out.matrix = named(matrix, {{0, "gbr"},
                                {1, "bt709"},
                                {2, "unknown"},
                                {5, "bt470bg"},
                                {6, "smpte170m"},
                                {9, "bt2020nc"}});
    if (full_range)
        out.range = *full_range ? "pc" : "tv";
    return out;
}

std::string chroma(unsigned subsampling_x, unsigned subsampling_y, bool monochrome) {
    if (monochrome)
        return "4:0:0";
    return subsampling_x ? (subsampling_y ? "4:2:0" : "4:2:2") : "4:4:4";
}

// What the codec configuration record says of the profile and the pixel layout, and the bytes
// that must be identical in every segment (ffprobe's "extradata").
struct CodecConfig {
    std::string profile = "none", pixels = "none", headers = "none";
};

// FNV-1a: the headers only need telling apart, and the value shows in a refusal.
std::string fingerprint(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037ull;
    for (char b : bytes)
        h = (h ^ static_cast<std::uint8_t>(b)) * 1099511628211ull;
    constexpr char hex[] = "0123456789abcdef";
    std::string out = std::to_string(bytes.size()) + " bytes, fnv1a ";
    for (int shift = 60; shift >= 0; shift -= 4)
        out += hex[(h >> shift) & 0xf];
    return out;
}

CodecConfig read_config(std::string_view fourcc, std::string_view entry_children) {
    CodecConfig out;
    if (auto avcc = child(entry_children, "avcC")) {
        Cursor c(*avcc);
        c.skip(1);
        out.profile = named(static_cast<unsigned>(c.number(1)), {{66, "Baseline"},
                                                                 {77, "Main"},
                                                                 {88, "Extended"},
                                                                 {100, "High"},
                                                                 {110, "High 10"},
                                                                 {122, "High 4:2:2"},
                                                                 {244, "High 4:4:4 Predictive"}});
        out.headers = fingerprint(*avcc); // SPS and PPS: chroma format and bit depth are in them
    } else if (auto hvcc = child(entry_children, "hvcC")) {
        Cursor c(*hvcc);
        c.skip(1);
        out.profile = named(static_cast<unsigned>(c.number(1) & 0x1f),
                            {{1, "Main"}, {2, "Main 10"}, {3, "Main Still Picture"}, {4, "Rext"}});
        out.headers = fingerprint(*hvcc);
    } else if (auto av1c = child(entry_children, "av1C")) {
        Cursor c(*av1c);
        c.skip(1);
        out.profile = named(static_cast<unsigned>(c.number(1) >> 5),
                            {{0, "Main"}, {1, "High"}, {2, "Professional"}});
        const auto bits = static_cast<unsigned>(c.number(1));
        const int depth = (bits & 0x40) ? ((bits & 0x20) ? 12 : 10) : 8;
        out.pixels = chroma(bits >> 3 & 1, bits >> 2 & 1, bits & 0x10) + " " +
                     std::to_string(depth) + "-bit";
        out.headers = fingerprint(*av1c);
    } else if (auto vpcc = child(entry_children, "vpcC")) {
        Cursor c(*vpcc);
        c.skip(4); // version, flags
        out.profile = "Profile " + std::to_string(c.number(1));
        c.skip(1); // the level follows each segment's own bitrate: not a joining matter
        const auto bits = static_cast<unsigned>(c.number(1));
        const unsigned layout = bits >> 1 & 7; // 0, 1: 4:2:0; 2: 4:2:2; 3: 4:4:4
        out.pixels = std::string(layout <= 1   ? "4:2:0"
                                 : layout == 2 ? "4:2:2"
                                               : "4:4:4") +
                     " " + std::to_string(bits >> 4) + "-bit";
        out.headers = "none";
    } else if (auto glbl = child(entry_children, "glbl")) {
        out.headers = fingerprint(*glbl);
    }
    if (codec_name(fourcc) == "prores")
        out.profile =
            named(static_cast<unsigned>(fourcc[2]) << 8 | static_cast<unsigned>(fourcc[3]),
                  {{'c' << 8 | 'o', "Proxy"},
                   {'c' << 8 | 's', "LT"},
                   {'c' << 8 | 'n', "Standard"},
                   {'c' << 8 | 'h', "HQ"},
                   {'4' << 8 | 'h', "4444"},
                   {'4' << 8 | 'x', "4444 XQ"}});
    return out;
}

// How many of the track's samples lie wholly within the file, from the sample sizes (stsz), the
// chunk offsets (stco, co64) and which samples each chunk holds (stsc). Nothing when the tables
// are malformed or disagree on the number of samples.
struct SampleCount {
    std::uint64_t listed = 0, present = 0;
};

// Which samples each chunk holds: stsc's runs of chunks with the same count, read as the chunks
// are visited in increasing order.
class ChunkMap {
  public:
    explicit ChunkMap(std::string_view stsc) : c_(stsc) {
        c_.skip(4); // version, flags
        unread_ = c_.u32();
        if (!c_.ok() || unread_ == 0 || c_.left() / 12 < unread_)
            return;
        current_ = load();
        has_next_ = false;
        if (unread_ > 0)
            next_ = load();
        ok_ = current_.first == 1;
    }

    // Samples in chunk `index` (1-based).
    std::optional<std::uint64_t> samples_in(std::uint64_t index) {
        while (ok_ && has_next_ && index >= next_.first) {
            if (next_.first <= current_.first)
                return std::nullopt;
            current_ = next_;
            has_next_ = false;
            if (unread_ > 0)
                next_ = load();
        }
        if (!ok_)
            return std::nullopt;
        return current_.samples;
    }

  private:
    struct Run {
        std::uint64_t first = 0, samples = 0;
    };
    Run load() {
        Run r;
        r.first = c_.u32();
        r.samples = c_.u32();
        c_.skip(4); // sample description index
        --unread_;
        has_next_ = true;
        return r;
    }

    Cursor c_;
    std::uint32_t unread_ = 0;
    Run current_, next_;
    bool has_next_ = false, ok_ = false;
};

std::optional<SampleCount> count_samples(std::string_view stbl, std::uint64_t file_size) {
    auto stsz = child(stbl, "stsz");
    auto stsc = child(stbl, "stsc");
    auto stco = child(stbl, "stco");
    auto co64 = child(stbl, "co64");
    if (!stsz || !stsc || (!stco && !co64))
        return std::nullopt;
    Cursor sizes(*stsz);
    sizes.skip(4);
    const std::uint32_t fixed_size = sizes.u32();
    SampleCount n;
    n.listed = sizes.u32();
    if (!sizes.ok() || (fixed_size == 0 && sizes.left() / 4 < n.listed))
        return std::nullopt;
    Cursor offsets(stco ? *stco : *co64);
    const std::size_t offset_width = stco ? 4 : 8;
    offsets.skip(4);
    const std::uint32_t chunks = offsets.u32();
    if (!offsets.ok() || offsets.left() / offset_width < chunks)
        return std::nullopt;
    ChunkMap map(*stsc);
    std::uint64_t sample = 0;
    for (std::uint64_t chunk = 1; chunk <= chunks && sample < n.listed; ++chunk) {
        std::uint64_t at = offsets.number(offset_width);
        auto in_chunk = map.samples_in(chunk);
        if (!in_chunk)
            return std::nullopt;
        const std::uint64_t take = std::min(*in_chunk, n.listed - sample);
        if (fixed_size != 0) { // every sample the same size: no per-sample table to walk
            const std::uint64_t room = at <= file_size ? (file_size - at) / fixed_size : 0;
            n.present += std::min(take, room);
            sample += take;
            continue;
        }
        for (std::uint64_t i = 0; i < take; ++i, ++sample) {
            const std::uint32_t size = sizes.u32();
            if (size <= file_size && at <= file_size - size)
                ++n.present;
            at += size;
        }
    }
    if (sample != n.listed)
        return std::nullopt;
    return n;
}

// The comment tag: iTunes-style (moov/udta/meta/ilst/©cmt/data, as ffmpeg writes MP4) or
// QuickTime-style (moov/udta/©cmt, as it writes MOV).
std::optional<std::string_view> comment(std::string_view moov) {
    auto udta = child(moov, "udta");
    if (!udta)
        return std::nullopt;
    const std::string_view key = "\xa9"
                                 "cmt";
    if (auto meta = child(*udta, "meta")) {
        std::string_view boxes = *meta;
        if (boxes.size() < 8 || boxes.substr(4, 4) != "hdlr") // ISO's is a full box, Apple's not
            boxes.remove_prefix(std::min<std::size_t>(4, boxes.size()));
        if (auto data = descend(boxes, {"ilst", key, "data"})) {
            Cursor c(*data);
            c.skip(8); // type, locale
            if (c.ok())
                return c.rest();
        }
    }
    if (auto short_style = child(*udta, key)) {
        Cursor c(*short_style);
        const auto length = c.number(2);
        c.skip(2); // language
        auto text = c.take(length);
        if (c.ok() && text.size() == length)
            return text;
    }
    return std::nullopt;
}

} // namespace

std::optional<SegmentInfo> parse_mp4_index(std::string path, std::string_view moov,
                                           std::uint64_t file_size) {
    if (child(moov, "mvex")) // fragmented: the samples are described outside this index
        return std::nullopt;
    auto mvhd = child(moov, "mvhd");
    auto trak = mp4::video_track(moov);
    if (!mvhd || !trak)
        return std::nullopt;
    auto movie = read_timing(*mvhd);
    auto mdhd = descend(*trak, {"mdia", "mdhd"});
    auto stbl = descend(*trak, {"mdia", "minf", "stbl"});
    auto stsd = stbl ? child(*stbl, "stsd") : std::nullopt;
    if (!movie || !mdhd || !stsd)
        return std::nullopt;
    auto track = read_timing(*mdhd);
    auto samples = count_samples(*stbl, file_size);
    Cursor entries(*stsd);
    entries.skip(8); // version, flags, entry count
    auto entry = Boxes(entries.rest()).next();
    if (!track || !samples || !entries.ok() || !entry)
        return std::nullopt;
    Cursor visual(entry->payload);
    visual.skip(24);
    const auto width = visual.number(2);
    const auto height = visual.number(2);
    visual.skip(50);
    if (!visual.ok())
        return std::nullopt;
    const auto config = read_config(entry->type, visual.rest());
    const auto colr = child(visual.rest(), "colr");
    const auto colour = colr ? read_colour(*colr) : Colour{};

    SegmentInfo s;
    s.path = std::move(path);
    if (auto text = comment(moov))
        s.tag = parse_segment_tag(*text);
    s.frames = samples->present;
    s.index_frames = samples->listed;
    s.duration = static_cast<double>(movie->duration) / movie->timescale;
    s.properties = {{"codec", codec_name(entry->type)},
                    {"profile", config.profile},
                    {"width", std::to_string(width)},
                    {"height", std::to_string(height)},
                    {"pixel format", config.pixels},
                    {"colour range", colour.range},
                    {"colour matrix", colour.matrix},
                    {"transfer", colour.transfer},
                    {"primaries", colour.primaries},
                    {"time base", "1/" + std::to_string(track->timescale)},
                    {"codec headers (extradata)", config.headers}};
    return s;
}

std::optional<SegmentInfo> read_mp4_segment(const std::string& path) {
    auto index = mp4::read_moov(path);
    if (!index)
        return std::nullopt;
    return parse_mp4_index(path, index->moov, index->file_size);
}

} // namespace framepipe
