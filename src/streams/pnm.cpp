#include "streams/pnm.h"

#include "streams/header_text.h"

#include <array>

namespace framepipe {

namespace {

// pnm(5): "blanks, TABs, CRs, LFs"; libnetpbm also takes VT and FF (isspace), and so does this.
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Long enough for 65535 with leading zeros; anything longer is garbage, not a number.
constexpr std::size_t kMaxToken = 16;
constexpr std::size_t kMaxPamLine = 1024;
constexpr std::array<const char*, 3> kPnmFields{"width", "height", "maxval"};

struct TupleType {
    std::string_view name;
    unsigned depth;
};
// pam(5)'s standard tuple types; others are read by their DEPTH alone.
constexpr std::array kTupleTypes{
    TupleType{"BLACKANDWHITE", 1},       TupleType{"GRAYSCALE", 1},       TupleType{"RGB", 3},
    TupleType{"BLACKANDWHITE_ALPHA", 2}, TupleType{"GRAYSCALE_ALPHA", 2}, TupleType{"RGB_ALPHA", 4},
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string pnm_pix_fmt(unsigned depth, std::uint32_t maxval) {
    static constexpr std::array<const char*, 4> k8{"gray", "ya8", "rgb24", "rgba"};
    static constexpr std::array<const char*, 4> k16{"gray16be", "ya16be", "rgb48be", "rgba64be"};
    return (maxval > 255 ? k16 : k8).at(depth - 1);
}

void rescale_pnm_samples(std::span<std::uint8_t> raster, std::uint32_t maxval) {
    if (maxval == 255 || maxval == 65535 || maxval == 0)
        return;
    if (maxval < 255) {
        for (auto& s : raster)
            s = s >= maxval ? 255 : static_cast<std::uint8_t>((s * 255u + maxval / 2) / maxval);
        return;
    }
    for (std::size_t i = 0; i + 1 < raster.size(); i += 2) {
        std::uint32_t v = (std::uint32_t{raster[i]} << 8) | raster[i + 1];
        v = v >= maxval ? 65535 : (v * 65535u + maxval / 2) / maxval;
        raster[i] = static_cast<std::uint8_t>(v >> 8);
        raster[i + 1] = static_cast<std::uint8_t>(v & 0xff);
    }
}

void PnmParser::reset() {
    magic_.clear();
    numbers_.clear();
    token_.clear();
    in_comment_ = false;
    magic_separated_ = false;
    line_.clear();
    magic_line_done_ = false;
    width_ = height_ = depth_ = maxval_ = std::nullopt;
    tupltype_.clear();
}

bool PnmParser::take_magic(char c, std::uint64_t at) {
    magic_ += c;
    if (magic_.size() == 1 && c == 'P')
        return false;
    if (magic_.size() == 2 && (c == '5' || c == '6' || c == '7'))
        return false;
    fail(at + 1 - magic_.size(),
         "expected a PGM, PPM or PAM header (P5, P6 or P7), found " + quote_bytes(magic_) +
             (frames_complete() > 0
                  ? ": the stream is corrupt, or the previous image was not the size its header "
                    "declares (images must follow each other with nothing between them)"
                  : ""));
}

void PnmParser::finish_token() {
    const char* what = kPnmFields.at(numbers_.size());
    auto v = parse_decimal(token_, 65535);
    if (!v || *v == 0)
        fail(token_start_, std::string("the ") + what + " '" + token_ +
                               "' is not a whole number from 1 to 65535");
    numbers_.push_back(*v);
    token_.clear();
}

bool PnmParser::take_pnm_byte(char c, std::uint64_t at) {
    // pnm(5): a comment runs from '#' through the next CR or LF, may sit even inside a token,
    // and its line end is not the whitespace that delimits the raster. So it is dropped whole
    // and the token goes on after it ("12#x\n34" is 1234).
    if (in_comment_) {
        in_comment_ = c != '\n' && c != '\r';
        return false;
    }
    // The magic number is two bytes, and whitespace (or a comment) must follow it.
    if (!magic_separated_ && c != '#' && !is_space(c))
        fail(at, "expected whitespace after the magic number " + magic_ + ", found " +
                     quote_bytes(std::string(1, c)));
    magic_separated_ = true;
    if (c == '#') {
        in_comment_ = true;
        return false;
    }
    if (is_space(c)) {
        if (token_.empty())
            return false;
        finish_token();
        return numbers_.size() == kPnmFields.size(); // this byte is the one before the raster
    }
    if (token_.empty())
        token_start_ = at;
    if (c < '0' || c > '9')
        fail(at, std::string("expected the ") + kPnmFields.at(numbers_.size()) +
                     " as a decimal number, found " + quote_bytes(std::string(1, c)));
    if (token_.size() == kMaxToken)
        fail(token_start_, std::string("the ") + kPnmFields.at(numbers_.size()) +
                               " is not a whole number from 1 to 65535");
    token_ += c;
    return false;
}

bool PnmParser::take_pam_byte(char c, std::uint64_t at) {
    if (c != '\n') {
        if (line_.size() == kMaxPamLine)
            fail(at - line_.size(),
                 "a PAM header line is longer than " + std::to_string(kMaxPamLine) + " bytes");
        line_ += c;
        return false;
    }
    const std::uint64_t line_start = at - line_.size();
    if (!magic_line_done_) {
        // pam(5): "P7" then a newline; trailing blanks are forgiven.
        if (!trim(line_).empty())
            fail(line_start, "expected a newline after P7, found " + quote_bytes(line_));
        magic_line_done_ = true;
        line_.clear();
        return false;
    }
    const std::string_view text = trim(line_);
    const bool end = text == "ENDHDR";
    if (!end)
        take_pam_line(line_start);
    line_.clear();
    return end;
}

void PnmParser::take_pam_line(std::uint64_t at) {
    const std::string_view text = trim(line_);
    if (text.empty() || text.front() == '#')
        return;
    std::size_t split = 0;
    while (split < text.size() && !is_space(text[split]))
        ++split;
    const std::string_view key = text.substr(0, split);
    const std::string_view value = trim(text.substr(split));
    if (key == "TUPLTYPE") {
        // pam(5): repeated TUPLTYPE lines add up, separated by a space.
        tupltype_ += (tupltype_.empty() ? "" : " ") + std::string(value);
        return;
    }
    std::optional<std::uint64_t>* field = key == "WIDTH"    ? &width_
                                          : key == "HEIGHT" ? &height_
                                          : key == "DEPTH"  ? &depth_
                                          : key == "MAXVAL" ? &maxval_
                                                            : nullptr;
    if (!field)
        fail(at, "unknown PAM header line " + quote_bytes(text) +
                     " (pam(5) has WIDTH, HEIGHT, DEPTH, MAXVAL, TUPLTYPE and ENDHDR)");
    if (field->has_value())
        fail(at, "the PAM header gives " + std::string(key) + " twice");
    auto v = parse_decimal(value, 65535);
    if (!v || *v == 0)
        fail(at, "the PAM " + std::string(key) + " " + quote_bytes(value) +
                     " is not a whole number from 1 to 65535");
    *field = v;
}

StreamDescription PnmParser::describe(unsigned depth, std::uint64_t at) const {
    StreamDescription d;
    d.format = StreamFormat::pnm;
    d.size = {static_cast<std::uint32_t>(*width_), static_cast<std::uint32_t>(*height_)};
    d.maxval = static_cast<std::uint32_t>(*maxval_);
    d.pix_fmt = pnm_pix_fmt(depth, d.maxval);
    d.range = ColorRange::full;
    d.interlacing = Interlacing::progressive;
    d.payload_bytes =
        std::uint64_t{d.size.width} * d.size.height * depth * (d.maxval > 255 ? 2 : 1);
    if (d.payload_bytes > kMaxFrameBytes)
        fail(at, "images of " + describe_frame(d) + " are " + std::to_string(d.payload_bytes) +
                     " bytes, more than ffmpeg can read as one frame (" +
                     std::to_string(kMaxFrameBytes) + ")");
    return d;
}

StreamDescription PnmParser::describe_pam(std::uint64_t at) const {
    const std::pair<const std::optional<std::uint64_t>*, const char*> required[] = {
        {&width_, "WIDTH"}, {&height_, "HEIGHT"}, {&depth_, "DEPTH"}, {&maxval_, "MAXVAL"}};
    for (const auto& [field, name] : required)
        if (!field->has_value())
            fail(at, std::string("the PAM header has no ") + name + " line before ENDHDR");
    if (*width_ > kMaxDimension || *height_ > kMaxDimension)
        fail(at, "the PAM image is larger than 65535 pixels a side");
    if (*depth_ > 4)
        fail(at, "the PAM DEPTH is " + std::to_string(*depth_) +
                     ": framepipe reads 1 (grayscale), 2 (grayscale and alpha), 3 (RGB) and 4 "
                     "(RGB and alpha)");
    for (const auto& t : kTupleTypes)
        if (t.name == tupltype_ && t.depth != *depth_)
            fail(at, "the PAM TUPLTYPE " + tupltype_ + " has " + std::to_string(t.depth) +
                         (t.depth == 1 ? " sample" : " samples") + " a pixel, but DEPTH is " +
                         std::to_string(*depth_));
    return describe(static_cast<unsigned>(*depth_), at);
}

RasterStreamParser::HeaderProgress PnmParser::read_header(std::span<const std::uint8_t> bytes) {
    HeaderProgress h;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::uint64_t at = offset() + i;
        const char c = static_cast<char>(bytes[i]);
        bool done = false;
        if (magic_.size() < 2) {
            done = take_magic(c, at);
        } else if (magic_[1] == '7') {
            done = take_pam_byte(c, at);
        } else {
            done = take_pnm_byte(c, at);
        }
        if (done) {
            h.consumed = i + 1;
            const std::uint64_t start = frame_start_offset();
            if (magic_[1] == '7') {
                h.frame = describe_pam(start);
            } else {
                width_ = numbers_[0];
                height_ = numbers_[1];
                maxval_ = numbers_[2];
                h.frame = describe(magic_[1] == '5' ? 1 : 3, start);
            }
            reset();
            return h;
        }
    }
    h.consumed = bytes.size();
    return h;
}

} // namespace framepipe
