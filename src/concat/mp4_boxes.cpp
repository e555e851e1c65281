#include "concat/mp4_boxes.h"

#include "fd.h"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace framepipe::mp4 {

std::optional<BoxHeader> read_box_header(std::string_view bytes, std::uint64_t available) {
    Cursor c(bytes);
    BoxHeader h;
    h.size = c.u32();
    h.type = c.take(4);
    if (h.size == 1) {
        h.size = c.number(8);
        h.length = 16;
    } else if (h.size == 0) {
        h.size = available;
    }
    if (!c.ok() || h.size < h.length || h.size > available)
        return std::nullopt;
    return h;
}

std::optional<Box> Boxes::next() {
    if (rest_.empty())
        return std::nullopt;
    auto header = read_box_header(rest_, rest_.size());
    if (!header) {
        ok_ = false;
        rest_ = {};
        return std::nullopt;
    }
    Box box{header->type, rest_.substr(header->length, header->size - header->length)};
    rest_.remove_prefix(header->size);
    return box;
}

std::optional<std::string_view> child(std::string_view parent, std::string_view type) {
    Boxes boxes(parent);
    while (auto box = boxes.next())
        if (box->type == type)
            return box->payload;
    return std::nullopt;
}

std::optional<std::string_view> descend(std::string_view from,
                                        std::initializer_list<std::string_view> path) {
    std::optional<std::string_view> at = from;
    for (auto type : path)
        if (!(at = child(*at, type)))
            return std::nullopt;
    return at;
}

std::optional<std::string_view> table_entries(std::string_view full_box, std::size_t width,
                                              std::uint32_t& count) {
    Cursor c(full_box);
    c.skip(4);
    count = c.u32();
    if (!c.ok() || c.left() / width < count)
        return std::nullopt;
    return c.rest().substr(0, static_cast<std::size_t>(count) * width);
}

// mvhd and mdhd share their first fields: version 1 has 64-bit times and duration.
std::optional<Timing> read_timing(std::string_view full_box) {
    Cursor c(full_box);
    const bool wide = c.number(1) == 1;
    c.skip(3 + (wide ? 16 : 8));
    Timing t;
    t.timescale = c.u32();
    t.duration = c.number(wide ? 8 : 4);
    if (!c.ok() || t.timescale == 0)
        return std::nullopt;
    return t;
}

namespace {

bool is_video_track(std::string_view trak) {
    auto hdlr = descend(trak, {"mdia", "hdlr"});
    if (!hdlr)
        return false;
    Cursor c(*hdlr);
    c.skip(8); // version, flags, pre_defined
    return c.take(4) == "vide" && c.ok();
}

// Top-level boxes a plain MP4/MOV file may start with.
bool plausible_first_box(std::string_view type) {
    return type == "ftyp" || type == "moov" || type == "wide" || type == "free" || type == "skip";
}

// An index larger than this (16 MiB: the sample tables of over a million frames) is left to
// ffprobe, so a join's memory stays small whatever the segments.
constexpr std::uint64_t kLargestIndex = 16u << 20;

bool read_exactly(int fd, char* to, std::size_t n, std::uint64_t at) {
    while (n > 0) {
        const ssize_t got = ::pread(fd, to, n, static_cast<off_t>(at));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        to += got;
        n -= static_cast<std::size_t>(got);
        at += static_cast<std::uint64_t>(got);
    }
    return true;
}

} // namespace

std::optional<std::string_view> video_track(std::string_view moov) {
    Boxes boxes(moov);
    while (auto box = boxes.next())
        if (box->type == "trak" && is_video_track(box->payload))
            return box->payload;
    return std::nullopt;
}

std::optional<Index> read_moov(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    const auto file_size = static_cast<std::uint64_t>(st.st_size);
    std::string ftyp;
    std::uint64_t at = 0;
    for (int boxes = 0; boxes < 64 && file_size - at >= 8; ++boxes) {
        std::array<char, 16> header{};
        const std::size_t header_bytes = file_size - at >= 16 ? 16 : 8;
        if (!read_exactly(fd.get(), header.data(), header_bytes, at))
            return std::nullopt;
        const auto box =
            read_box_header(std::string_view(header.data(), header_bytes), file_size - at);
        if (!box || (at == 0 && !plausible_first_box(box->type)) || box->type == "moof")
            return std::nullopt;
        if (box->type == "ftyp" && box->size <= 4096) {
            ftyp.resize(box->size);
            if (!read_exactly(fd.get(), ftyp.data(), ftyp.size(), at))
                return std::nullopt;
        }
        if (box->type == "moov") {
            if (box->size - box->length > kLargestIndex)
                return std::nullopt;
            Index index{std::string(box->size - box->length, '\0'), ftyp, file_size};
            if (!read_exactly(fd.get(), index.moov.data(), index.moov.size(), at + box->length))
                return std::nullopt;
            return index;
        }
        at += box->size;
    }
    return std::nullopt;
}

} // namespace framepipe::mp4
