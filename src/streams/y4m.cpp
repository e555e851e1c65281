#include "streams/y4m.h"

#include "streams/header_text.h"

#include <algorithm>
#include <array>
#include <numeric>

namespace framepipe {

namespace {

using S = ChromaSiting;

// Every colourspace ffmpeg's yuv4mpegpipe muxer writes, and "420", which mjpegtools writes and
// ffmpeg reads as 420jpeg. Samples above 8 bits take two little-endian bytes.
constexpr std::array kColourspaces{
    Y4mColourspace{"420jpeg", "yuv420p", 1, 1, 1, 3, S::center},
    Y4mColourspace{"420mpeg2", "yuv420p", 1, 1, 1, 3, S::left},
    Y4mColourspace{"420paldv", "yuv420p", 1, 1, 1, 3, S::top_left},
    Y4mColourspace{"420", "yuv420p", 1, 1, 1, 3, S::center},
    Y4mColourspace{"411", "yuv411p", 2, 0, 1, 3, S::unspecified},
    Y4mColourspace{"422", "yuv422p", 1, 0, 1, 3, S::unspecified},
    Y4mColourspace{"444", "yuv444p", 0, 0, 1, 3, S::unspecified},
    Y4mColourspace{"444alpha", "yuva444p", 0, 0, 1, 4, S::unspecified},
    Y4mColourspace{"mono", "gray", 0, 0, 1, 1, S::unspecified},
    Y4mColourspace{"420p9", "yuv420p9le", 1, 1, 2, 3, S::unspecified},
    Y4mColourspace{"422p9", "yuv422p9le", 1, 0, 2, 3, S::unspecified},
    Y4mColourspace{"444p9", "yuv444p9le", 0, 0, 2, 3, S::unspecified},
    Y4mColourspace{"420p10", "yuv420p10le", 1, 1, 2, 3, S::unspecified},
    Y4mColourspace{"422p10", "yuv422p10le", 1, 0, 2, 3, S::unspecified},
    Y4mColourspace{"444p10", "yuv444p10le", 0, 0, 2, 3, S::unspecified},
    Y4mColourspace{"420p12", "yuv420p12le", 1, 1, 2, 3, S::unspecified},
    Y4mColourspace{"422p12", "yuv422p12le", 1, 0, 2, 3, S::unspecified},
    Y4mColourspace{"444p12", "yuv444p12le", 0, 0, 2, 3, S::unspecified},
    Y4mColourspace{"420p14", "yuv420p14le", 1, 1, 2, 3, S::unspecified},
    Y4mColourspace{"422p14", "yuv422p14le", 1, 0, 2, 3, S::unspecified},
    Y4mColourspace{"444p14", "yuv444p14le", 0, 0, 2, 3, S::unspecified},
    Y4mColourspace{"420p16", "yuv420p16le", 1, 1, 2, 3, S::unspecified},
    Y4mColourspace{"422p16", "yuv422p16le", 1, 0, 2, 3, S::unspecified},
    Y4mColourspace{"444p16", "yuv444p16le", 0, 0, 2, 3, S::unspecified},
    Y4mColourspace{"mono9", "gray9le", 0, 0, 2, 1, S::unspecified},
    Y4mColourspace{"mono10", "gray10le", 0, 0, 2, 1, S::unspecified},
    Y4mColourspace{"mono12", "gray12le", 0, 0, 2, 1, S::unspecified},
    Y4mColourspace{"mono16", "gray16le", 0, 0, 2, 1, S::unspecified},
};

constexpr std::string_view kStreamMagic = "YUV4MPEG2 ";
constexpr std::string_view kFrameMagic = "FRAME";
// ffmpeg itself gives up on header lines past 96 bytes; this only bounds memory on garbage.
constexpr std::size_t kMaxLine = 1024;

const Y4mColourspace* find_colourspace(std::string_view tag) {
    auto it = std::find_if(kColourspaces.begin(), kColourspaces.end(),
                           [&](const Y4mColourspace& c) { return c.tag == tag; });
    return it == kColourspaces.end() ? nullptr : &*it;
}

// XYSCSS=420P10 is an older, upper-case spelling of C420p10 that ffmpeg still writes beside it.
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    return out;
}

// "30000:1001", with 0:0 meaning "unknown". Nothing when the text is not a ratio.
std::optional<std::optional<Rational>> parse_ratio(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    auto num = parse_decimal(text.substr(0, colon), 0x7fffffff);
    auto den = parse_decimal(text.substr(colon + 1), 0x7fffffff);
    if (!num || !den)
        return std::nullopt;
    if (*num == 0 && *den == 0)
        return std::optional<Rational>{};
    if (*num == 0 || *den == 0)
        return std::nullopt;
    auto g = std::gcd(*num, *den);
    return std::optional<Rational>{
        Rational{static_cast<std::int64_t>(*num / g), static_cast<std::int64_t>(*den / g)}};
}

std::optional<Interlacing> parse_interlacing(std::string_view v) {
    if (v == "p")
        return Interlacing::progressive;
    if (v == "t")
        return Interlacing::top_first;
    if (v == "b")
        return Interlacing::bottom_first;
    if (v == "m")
        return Interlacing::mixed;
    if (v == "?")
        return Interlacing::unknown;
    return std::nullopt;
}

// A frame's own interlacing, "Ixyz" in yuv4mpeg(5): presentation, temporal and spatial sampling.
bool valid_frame_interlacing(std::string_view v) {
    return v.size() == 3 && std::string_view("tTbB123").find(v[0]) != std::string_view::npos &&
           (v[1] == 'p' || v[1] == 'i') && (v[2] == 'p' || v[2] == 'i' || v[2] == '?');
}

} // namespace

std::span<const Y4mColourspace> y4m_colourspaces() {
    return kColourspaces;
}

std::string y4m_colourspace_names() {
    std::string out;
    for (const auto& c : kColourspaces)
        out += (out.empty() ? "" : ", ") + std::string(c.tag);
    return out;
}

std::uint64_t y4m_frame_bytes(FrameSize size, const Y4mColourspace& cs) {
    const std::uint64_t luma = std::uint64_t{size.width} * size.height;
    std::uint64_t samples = luma;
    if (cs.planes >= 3) {
        const std::uint64_t cw =
            (std::uint64_t{size.width} + (1u << cs.chroma_shift_x) - 1) >> cs.chroma_shift_x;
        const std::uint64_t ch =
            (std::uint64_t{size.height} + (1u << cs.chroma_shift_y) - 1) >> cs.chroma_shift_y;
        samples += 2 * cw * ch;
    }
    if (cs.planes == 4)
        samples += luma;
    return samples * cs.bytes_per_sample;
}

std::size_t Y4mParser::read_line(std::span<const std::uint8_t> bytes, bool& complete) {
    const std::string_view magic = have_stream_header_ ? kFrameMagic : kStreamMagic;
    std::size_t i = 0;
    complete = false;
    while (i < bytes.size() && !complete) {
        const std::uint64_t at = offset() + i;
        const char c = static_cast<char>(bytes[i++]);
        // Checked byte by byte, so a stream that is not Y4M, or has lost its frame boundaries,
        // stops at once rather than after a line's worth of pixels.
        if (line_.size() < magic.size() && c != magic[line_.size()]) {
            const std::uint64_t start = at - line_.size();
            if (!have_stream_header_)
                fail(start, "not a YUV4MPEG2 stream: it does not start with \"YUV4MPEG2 \"");
            fail(start, "expected a \"FRAME\" line, found " + quote_bytes(line_ + c) +
                            ": the stream is corrupt, or its frames are not the size its header "
                            "declares (" +
                            describe_frame(stream_) + ", " + std::to_string(stream_.payload_bytes) +
                            " bytes)");
        }
        if (c == '\n') {
            complete = true;
            break;
        }
        if (line_.size() == kMaxLine)
            fail(at - line_.size(), std::string(have_stream_header_ ? "a FRAME" : "the stream") +
                                        " header line is longer than " + std::to_string(kMaxLine) +
                                        " bytes");
        line_ += c;
    }
    return i;
}

void Y4mParser::apply_stream_tag(StreamTags& t, std::string_view tok, std::uint64_t at) const {
    const char tag = tok.front();
    const std::string_view value = tok.substr(1);
    if (std::string_view("WHFIAC").find(tag) != std::string_view::npos) {
        if (t.seen.find(tag) != std::string::npos)
            fail(at, std::string("the stream header gives the ") + tag + " tag twice");
        t.seen += tag;
    }
    const std::string quoted = "'" + std::string(tok) + "'";
    switch (tag) {
    case 'W':
    case 'H': {
        auto v = parse_decimal(value, kMaxDimension);
        if (!v || *v == 0)
            fail(at, std::string("the ") + (tag == 'W' ? "width" : "height") + " tag " + quoted +
                         " is not a whole number from 1 to " + std::to_string(kMaxDimension));
        (tag == 'W' ? t.width : t.height) = v;
        break;
    }
    case 'F':
    case 'A': {
        auto r = parse_ratio(value);
        if (!r)
            fail(at, std::string("the ") + (tag == 'F' ? "frame rate" : "pixel aspect") + " tag " +
                         quoted + " is not a ratio such as " +
                         (tag == 'F' ? "F30000:1001" : "A1:1") + " (or " + tag +
                         "0:0 for unknown)");
        (tag == 'F' ? t.d.rate : t.d.sample_aspect) = *r;
        break;
    }
    case 'I': {
        auto i = parse_interlacing(value);
        if (!i)
            fail(at, "the interlacing tag " + quoted + " is not one of Ip, It, Ib, Im, I?");
        t.d.interlacing = *i;
        break;
    }
    case 'C':
        t.cs = find_colourspace(value);
        if (!t.cs)
            fail(at, "unknown YUV4MPEG2 colourspace " + quoted + ": framepipe reads C" +
                         y4m_colourspace_names());
        break;
    case 'X':
        apply_extension(t, value, quoted, at);
        break;
    default:
        break; // yuv4mpeg(5): readers skip tags they do not know
    }
}

void Y4mParser::apply_extension(StreamTags& t, std::string_view value, const std::string& quoted,
                                std::uint64_t at) const {
    if (value.starts_with("COLORRANGE=")) {
        auto range = value.substr(11);
        if (range != "FULL" && range != "LIMITED")
            fail(at, "the colour range tag " + quoted +
                         " is neither XCOLORRANGE=FULL nor XCOLORRANGE=LIMITED");
        t.d.range = range == "FULL" ? ColorRange::full : ColorRange::limited;
    } else if (value.starts_with("YSCSS=")) {
        t.yscss = find_colourspace(lower(value.substr(6)));
        if (!t.yscss)
            t.unknown_yscss = quoted;
    }
}

StreamDescription Y4mParser::parse_stream_header(std::uint64_t at) const {
    StreamTags t;
    t.d.format = StreamFormat::y4m;
    for (std::string_view tok : split_fields(std::string_view(line_).substr(kStreamMagic.size())))
        apply_stream_tag(t, tok, at);
    if (!t.width || !t.height)
        fail(at, std::string("the stream header has no ") +
                     (!t.width ? "width (W)" : "height (H)") + " tag");
    // Only a missing C tag lets the older XYSCSS spelling decide, as in ffmpeg's demuxer.
    if (!t.cs && !t.unknown_yscss.empty())
        fail(at, "unknown YUV4MPEG2 colourspace " + t.unknown_yscss + ": framepipe reads C" +
                     y4m_colourspace_names());
    const Y4mColourspace* cs = t.cs ? t.cs : t.yscss ? t.yscss : &kColourspaces.front();
    StreamDescription& d = t.d; // a missing C means 420jpeg, yuv4mpeg(5)'s default
    d.size = {static_cast<std::uint32_t>(*t.width), static_cast<std::uint32_t>(*t.height)};
    d.pix_fmt = std::string(cs->pix_fmt);
    d.chroma = cs->chroma;
    d.payload_bytes = y4m_frame_bytes(d.size, *cs);
    if (d.payload_bytes > kMaxFrameBytes)
        fail(at, "frames of " + describe_frame(d) + " are " + std::to_string(d.payload_bytes) +
                     " bytes, more than ffmpeg can read as one frame (" +
                     std::to_string(kMaxFrameBytes) + ")");
    return d;
}

void Y4mParser::parse_frame_line(std::uint64_t at) const {
    const std::string_view rest = std::string_view(line_).substr(kFrameMagic.size());
    if (!rest.empty() && rest.front() != ' ')
        fail(at, "expected a \"FRAME\" line, found " + quote_bytes(line_));
    for (std::string_view tok : split_fields(rest)) {
        if (tok.front() == 'I' && !valid_frame_interlacing(tok.substr(1)))
            fail(at, "the frame's interlacing tag '" + std::string(tok) +
                         "' is not of the form Ixyz (x one of tTbB123, y p or i, z p, i or ?)");
    }
}

RasterStreamParser::HeaderProgress Y4mParser::read_header(std::span<const std::uint8_t> bytes) {
    bool complete = false;
    HeaderProgress h;
    h.consumed = read_line(bytes, complete);
    if (!complete)
        return h;
    const std::uint64_t line_start = offset() + h.consumed - 1 - line_.size();
    if (!have_stream_header_) {
        stream_ = parse_stream_header(line_start);
        have_stream_header_ = true;
    } else {
        parse_frame_line(line_start);
        h.frame = stream_;
    }
    line_.clear();
    return h;
}

} // namespace framepipe
