// The box layer of MP4/MOV files (ISO/IEC 14496-12, Apple's QuickTime File Format), shared by the
// readers of a segment's description (mp4_segment.h) and of a joined video's samples
// (mp4_samples.h): big-endian fields, box headers, and the `moov` index read from a file.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe::mp4 {

// Reads big-endian fields in order; reading past the end yields zeros and marks the cursor bad,
// so a parser checks ok() once instead of every field.
class Cursor {
  public:
    explicit Cursor(std::string_view bytes) : bytes_(bytes) {}

    std::uint64_t number(std::size_t width) {
        if (bytes_.size() - at_ < width) {
            ok_ = false;
            at_ = bytes_.size();
            return 0;
        }
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i)
            value = value << 8 | static_cast<std::uint8_t>(bytes_[at_ + i]);
        at_ += width;
        return value;
    }
    std::uint32_t u32() { return static_cast<std::uint32_t>(number(4)); }
    std::string_view take(std::size_t n) {
        n = std::min(n, bytes_.size() - at_);
        auto part = bytes_.substr(at_, n);
        at_ += n;
        return part;
    }
    void skip(std::size_t n) {
        if (bytes_.size() - at_ < n)
            ok_ = false;
        at_ += std::min(n, bytes_.size() - at_);
    }
    std::string_view rest() const { return bytes_.substr(at_); }
    std::size_t left() const { return bytes_.size() - at_; }
    bool ok() const { return ok_; }

  private:
    std::string_view bytes_;
    std::size_t at_ = 0;
    bool ok_ = true;
};

struct Box {
    std::string_view type;
    std::string_view payload;
};

struct BoxHeader {
    std::string_view type;
    std::uint64_t size = 0; // the whole box, header included
    std::size_t length = 8; // of the header: 16 with a 64-bit size
};

// The header at the start of `bytes`, for a box that may run to `available` bytes from there
// (size 0: to the end). Nothing when it does not fit.
std::optional<BoxHeader> read_box_header(std::string_view bytes, std::uint64_t available);

// The boxes inside a container box's payload, in order. A header that does not fit ends the
// walk and marks it malformed.
class Boxes {
  public:
    explicit Boxes(std::string_view bytes) : rest_(bytes) {}
    std::optional<Box> next();
    bool ok() const { return ok_; }

  private:
    std::string_view rest_;
    bool ok_ = true;
};

// The payload of the first child box of `type`.
std::optional<std::string_view> child(std::string_view parent, std::string_view type);

// child(child(...)) along a path of box types.
std::optional<std::string_view> descend(std::string_view from,
                                        std::initializer_list<std::string_view> path);

// A sample table's entries (stts, ctts, stss, stsc, stco, co64): the bytes after its version,
// flags and 32-bit entry count, checked to hold `count` entries of `width` bytes.
std::optional<std::string_view> table_entries(std::string_view full_box, std::size_t width,
                                              std::uint32_t& count);

// The first video track (`trak` payload) of a `moov` payload.
std::optional<std::string_view> video_track(std::string_view moov);

struct Timing {
    std::uint32_t timescale = 0;
    std::uint64_t duration = 0;
};

// mvhd's or mdhd's time scale and duration (they share their first fields).
std::optional<Timing> read_timing(std::string_view full_box);

// A file's `moov` payload, its `ftyp` box (whole; empty when it has none) and the file's size.
struct Index {
    std::string moov, ftyp;
    std::uint64_t file_size = 0;
};

// Opens `path` and reads its `moov` box, walking the top-level boxes by their headers only.
// Nothing when the file cannot be read, is not MP4/MOV, is fragmented, or its index is larger
// than 16 MiB (the sample tables of over a million frames): memory stays small whatever the files,
// and the callers then ask ffprobe instead.
std::optional<Index> read_moov(const std::string& path);

} // namespace framepipe::mp4
