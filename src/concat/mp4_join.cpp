#include "concat/mp4_join.h"

#include "concat/mp4_boxes.h"
#include "concat/mp4_samples.h"

#include <limits>

namespace framepipe {

namespace {

using mp4::Boxes;
using mp4::child;
using mp4::Cursor;
using mp4::descend;
using ChunkRun = Mp4Join::ChunkRun;

// Past this (about 350,000 frames with B-frames) the join is left to ffmpeg, which streams it:
// building the index takes a few copies of it at once, and a join's memory must stay small
// whatever the segments.
constexpr std::uint64_t kLargestIndex = 4u << 20;

std::string be(std::uint64_t value, int width) {
    std::string out;
    for (int i = width - 1; i >= 0; --i)
        out.push_back(static_cast<char>(value >> (8 * i) & 0xff));
    return out;
}

// Appended in place: an index is copied once a level of boxes it sits in, and it can be megabytes.
std::string box(std::string_view type, std::string_view payload) {
    const bool wide = payload.size() + 8 > std::numeric_limits<std::uint32_t>::max();
    std::string out;
    out.reserve(payload.size() + (wide ? 16 : 8));
    out += wide ? be(1, 4) : be(payload.size() + 8, 4);
    out += type;
    if (wide)
        out += be(payload.size() + 16, 8);
    out += payload;
    return out;
}

const std::string kVersionFlags(4, '\0');

// Where a full box keeps its duration: after version and flags, creation and modification times,
// and (tkhd) track ID and a reserved word; 32 bits in version 0, 64 in version 1.
struct DurationField {
    std::size_t v0_at, v1_at;
};
constexpr DurationField kMovieHeader{16, 24}; // mvhd, mdhd
constexpr DurationField kTrackHeader{20, 28}; // tkhd

std::optional<std::uint64_t> duration_of(std::string_view full_box, DurationField field) {
    if (full_box.empty())
        return std::nullopt;
    const bool wide = full_box[0] == 1;
    Cursor c(full_box);
    c.skip(wide ? field.v1_at : field.v0_at);
    const auto value = c.number(wide ? 8 : 4);
    return c.ok() ? std::optional(value) : std::nullopt;
}

std::optional<std::string> with_duration(std::string_view full_box, DurationField field,
                                         std::uint64_t value) {
    if (!duration_of(full_box, field))
        return std::nullopt;
    const bool wide = full_box[0] == 1;
    if (!wide && value > std::numeric_limits<std::uint32_t>::max())
        return std::nullopt;
    std::string out(full_box);
    out.replace(wide ? field.v1_at : field.v0_at, wide ? 8 : 4, be(value, wide ? 8 : 4));
    return out;
}

// A duration in the track's time scale, in the movie's, rounded up as ffmpeg rounds it.
std::uint64_t in_movie_time(std::uint64_t ticks, std::uint32_t track_scale,
                            std::uint32_t movie_scale) {
    __extension__ using Wide = unsigned __int128;
    return static_cast<std::uint64_t>((Wide{ticks} * movie_scale + track_scale - 1) / track_scale);
}

// The edit list's duration field: after version, flags and entry count.
std::optional<std::uint64_t> edit_duration(std::string_view elst) {
    Cursor c(elst);
    const bool wide = c.number(1) == 1;
    c.skip(7);
    const auto value = c.number(wide ? 8 : 4);
    return c.ok() ? std::optional(value) : std::nullopt;
}

// The sample description without its bitrate box (btrt), which states each segment's own
// bitrate: the rest must be the same in every segment, byte for byte. Nothing unless it holds
// exactly one visual sample entry.
std::optional<std::string> description_without_bitrate(std::string_view stsd) {
    Cursor c(stsd);
    c.skip(4); // version, flags
    if (c.u32() != 1 || !c.ok())
        return std::nullopt;
    Boxes entries(c.rest());
    auto entry = entries.next();
    if (!entry || entries.next() || !entries.ok() || entry->payload.size() < 78)
        return std::nullopt;
    std::string children;
    Boxes inside(entry->payload.substr(78)); // the fields of a visual sample entry come first
    while (auto b = inside.next())
        if (b->type != "btrt")
            children += box(b->type, b->payload);
    if (!inside.ok())
        return std::nullopt;
    return std::string(stsd.substr(0, 8)) +
           box(entry->type, std::string(entry->payload.substr(0, 78)) + children);
}

const std::string kCommentKey = "\xa9"
                                "cmt";

// A list of boxes without the comment: the joined video is no segment, so it must not carry
// the segment's tag (as ffmpeg's join clears it with -metadata comment=).
std::string without_comment(std::string_view boxes) {
    std::string out;
    Boxes list(boxes);
    while (auto b = list.next()) {
        if (b->type == kCommentKey)
            continue;
        if (b->type == "meta") {
            // ISO's meta is a full box; Apple's is not, and its payload starts with the hdlr box.
            const std::size_t prefix =
                b->payload.size() >= 8 && b->payload.substr(4, 4) == "hdlr" ? 0 : 4;
            out += box("meta", std::string(b->payload.substr(0, prefix)) +
                                   without_comment(b->payload.substr(prefix)));
        } else if (b->type == "ilst") {
            out += box("ilst", without_comment(b->payload));
        } else {
            out += box(b->type, b->payload);
        }
    }
    return out;
}

// The frame duration when every sample of an stts has the same one.
std::optional<std::uint32_t> single_duration(std::string_view stts) {
    Cursor c(stts);
    c.skip(4);
    const auto entries = c.u32();
    std::optional<std::uint32_t> duration;
    for (std::uint32_t i = 0; i < entries && c.ok(); ++i) {
        const auto count = c.u32();
        const auto delta = c.u32();
        if (count == 0)
            continue;
        if (delta == 0 || (duration && delta != *duration))
            return std::nullopt;
        duration = delta;
    }
    return c.ok() ? duration : std::nullopt;
}

std::optional<std::vector<ChunkRun>> chunk_runs(std::string_view stsc) {
    std::uint32_t count = 0;
    auto entries = mp4::table_entries(stsc, 12, count);
    if (!entries || count == 0)
        return std::nullopt;
    Cursor c(*entries);
    std::vector<ChunkRun> runs;
    for (std::uint32_t i = 0; i < count; ++i) {
        ChunkRun r{c.u32(), c.u32()};
        const auto description = c.u32();
        if (description != 1 || r.samples == 0 ||
            (runs.empty() ? r.first != 1 : r.first <= runs.back().first))
            return std::nullopt;
        runs.push_back(r);
    }
    return runs;
}

std::optional<std::vector<std::uint64_t>> chunk_offsets(std::string_view stbl) {
    auto stco = child(stbl, "stco");
    auto co64 = child(stbl, "co64");
    if (!stco == !co64)
        return std::nullopt;
    const std::size_t width = stco ? 4 : 8;
    std::uint32_t count = 0;
    auto entries = mp4::table_entries(stco ? *stco : *co64, width, count);
    if (!entries)
        return std::nullopt;
    Cursor c(*entries);
    std::vector<std::uint64_t> out(count);
    for (auto& o : out)
        o = c.number(width);
    return out;
}

bool is_sample_table_box(std::string_view type) {
    for (std::string_view known :
         {"stsd", "stts", "ctts", "stss", "stsc", "stsz", "stco", "co64", "sdtp"})
        if (type == known)
            return true;
    return false;
}

} // namespace

bool Mp4Join::refuse(std::string reason) {
    why_ = std::move(reason);
    return false;
}

bool Mp4Join::add(std::string_view ftyp, std::string_view moov, std::uint64_t file_size) {
    const bool first = data_.empty();
    if (ftyp.empty())
        return refuse("it has no file type box");
    std::optional<std::string_view> mvhd, trak;
    int traks = 0;
    Boxes boxes(moov);
    while (auto b = boxes.next()) {
        if (b->type == "mvhd")
            mvhd = b->payload;
        else if (b->type == "trak")
            trak = (++traks, b->payload);
        else if (b->type != "udta")
            return refuse("its index has a '" + std::string(b->type) + "' box");
    }
    auto samples = Mp4Samples::open(moov);
    if (!boxes.ok() || traks != 1 || !mvhd || !samples || !mp4::video_track(moov))
        return refuse("its index is not one video track");
    const auto movie = mp4::read_timing(*mvhd);
    if (!movie)
        return refuse("its movie header is damaged");
    auto stbl = descend(*trak, {"mdia", "minf", "stbl"});
    auto stsd = stbl ? child(*stbl, "stsd") : std::nullopt;
    auto stts = stbl ? child(*stbl, "stts") : std::nullopt;
    auto description = stsd ? description_without_bitrate(*stsd) : std::nullopt;
    auto duration = stts ? single_duration(*stts) : std::nullopt;
    auto shift = samples->presentation_start();
    if (!description || !duration || !shift)
        return refuse("its sample tables are not the plain layout (one sample description, "
                      "every frame one duration, one edit)");
    if (first) {
        ftyp_ = ftyp;
        moov_ = moov;
        sample_description_ = *description;
        movie_timescale_ = movie->timescale;
        track_timescale_ = samples->timescale();
        frame_ticks_ = *duration;
        shift_ = *shift;
        has_edit_ = descend(*trak, {"edts", "elst"}).has_value();
    } else if (ftyp != ftyp_) {
        return refuse("its file type box differs from the first segment's");
    } else if (*description != sample_description_) {
        return refuse("its sample description differs from the first segment's");
    } else if (movie->timescale != movie_timescale_ || samples->timescale() != track_timescale_ ||
               *duration != frame_ticks_) {
        return refuse("its time scale or frame duration differs from the first segment's");
    }
    if (!add_tables(*stbl, *samples, *shift, file_size))
        return false;
    if (first) {
        // The joined durations are computed as ffmpeg computes them; check that on the first
        // segment's own, so another muxer's convention makes the join ffmpeg's, not wrong.
        const auto expected = in_movie_time(samples->count() * std::uint64_t{frame_ticks_},
                                            track_timescale_, movie_timescale_);
        auto tkhd = child(*trak, "tkhd");
        auto elst = descend(*trak, {"edts", "elst"});
        if (movie->duration != expected || !tkhd || duration_of(*tkhd, kTrackHeader) != expected ||
            (elst && edit_duration(*elst) != expected))
            return refuse("its durations are not the ones this join would compute");
    }
    return true;
}

bool Mp4Join::add_tables(std::string_view stbl, Mp4Samples samples, std::int64_t shift,
                         std::uint64_t file_size) {
    Boxes tables(stbl);
    while (auto b = tables.next())
        if (!is_sample_table_box(b->type))
            return refuse("its sample tables have a '" + std::string(b->type) + "' box");
    auto runs = chunk_runs(child(stbl, "stsc").value_or(""));
    auto offsets = chunk_offsets(stbl);
    if (!tables.ok() || !runs || !offsets || offsets->empty() ||
        runs->back().first > offsets->size() || samples.count() == 0)
        return refuse("its sample tables are not the plain layout (chunks)");
    // Checked before the samples are walked (the count comes from the file), at the least a
    // sample adds (its size), and again after.
    if (index_bytes() + 4 * samples.count() > kLargestIndex)
        return refuse("the joined index would pass 4 MiB");
    const std::size_t first_sample = sizes_.size();
    if (!add_samples(samples, shift, child(stbl, "sdtp")) ||
        !add_chunks(*runs, *offsets, first_sample, file_size))
        return false;
    if (index_bytes() > kLargestIndex)
        return refuse("the joined index would pass 4 MiB");
    return true;
}

bool Mp4Join::add_samples(Mp4Samples samples, std::int64_t shift,
                          std::optional<std::string_view> dependencies) {
    // Each sample's dependency flags (sdtp, which ffmpeg writes for AV1): one byte a sample.
    if (!has_dependencies_)
        has_dependencies_ = dependencies.has_value();
    if (*has_dependencies_ != dependencies.has_value() ||
        (dependencies && dependencies->size() != 4 + samples.count()))
        return refuse("its sample dependency flags (sdtp) are not one a frame, as the first "
                      "segment's");
    if (dependencies)
        dependencies_ += dependencies->substr(4);
    for (std::uint64_t i = 0; auto s = samples.next(); ++i) {
        // The composition offset that shows this frame at its time in the joined video, whose
        // presentation starts where the first segment's does.
        const std::int64_t offset =
            s->pts - static_cast<std::int64_t>(i * frame_ticks_) + shift_ - shift;
        if (offset < 0 || offset > std::numeric_limits<std::int32_t>::max())
            return refuse("its frames are reordered in a way the first segment's timing cannot "
                          "carry");
        const auto value = static_cast<std::uint32_t>(offset);
        if (!offsets_.empty() && offsets_.back().second == value)
            ++offsets_.back().first;
        else
            offsets_.emplace_back(1, value);
        if (s->key)
            sync_.push_back(static_cast<std::uint32_t>(sizes_.size() + 1));
        all_key_ = all_key_ && s->key;
        sizes_.push_back(s->size);
    }
    if (!samples.ok())
        return refuse("its sample tables disagree on the number of frames");
    return true;
}

bool Mp4Join::add_chunks(const std::vector<ChunkRun>& runs,
                         const std::vector<std::uint64_t>& offsets, std::size_t first_sample,
                         std::uint64_t file_size) {
    // Each chunk must start where the one before it ends: the segment's samples are then one
    // range of bytes, copied whole, and its chunks keep their places relative to its first.
    const std::uint64_t start = offsets.front();
    std::uint64_t end = start;
    std::size_t sample = first_sample, run = 0;
    const std::uint64_t chunk_base = chunk_offsets_.size();
    for (std::size_t chunk = 0; chunk < offsets.size(); ++chunk) {
        while (run + 1 < runs.size() && runs[run + 1].first <= chunk + 1)
            ++run;
        if (offsets[chunk] != end)
            return refuse("its samples are not stored one after another");
        chunk_offsets_.push_back(end - start + data_bytes_);
        for (std::uint32_t k = 0; k < runs[run].samples; ++k) {
            if (sample == sizes_.size())
                return refuse("its chunks hold more samples than it has");
            end += sizes_[sample++];
        }
    }
    if (sample != sizes_.size() || end > file_size)
        return refuse("its chunks do not hold its samples within the file");
    for (const auto& r : runs)
        if (chunk_runs_.empty() || chunk_runs_.back().second != r.samples)
            chunk_runs_.emplace_back(static_cast<std::uint32_t>(r.first + chunk_base), r.samples);
    data_.push_back({start, end - start});
    data_bytes_ += end - start;
    return true;
}

std::uint64_t Mp4Join::index_bytes() const {
    return moov_.size() + 5 * sizes_.size() + 8 * offsets_.size() + 4 * sync_.size() +
           12 * chunk_runs_.size() + 8 * chunk_offsets_.size();
}

std::string Mp4Join::stbl(std::uint64_t data_start, bool wide_offsets) const {
    std::string out = box("stsd", sample_description_);
    out += box("stts", kVersionFlags + be(1, 4) + be(sizes_.size(), 4) + be(frame_ticks_, 4));
    if (!all_key_) {
        std::string stss = kVersionFlags + be(sync_.size(), 4);
        for (auto s : sync_)
            stss += be(s, 4);
        out += box("stss", stss);
    }
    if (offsets_.size() > 1 || offsets_.front().second != 0) {
        std::string ctts = kVersionFlags + be(offsets_.size(), 4);
        for (auto [count, offset] : offsets_)
            ctts += be(count, 4) + be(offset, 4);
        out += box("ctts", ctts);
    }
    std::string stsc = kVersionFlags + be(chunk_runs_.size(), 4);
    for (auto [first, samples] : chunk_runs_)
        stsc += be(first, 4) + be(samples, 4) + be(1, 4);
    out += box("stsc", stsc);
    std::string stsz = kVersionFlags + be(0, 4) + be(sizes_.size(), 4);
    for (auto s : sizes_)
        stsz += be(s, 4);
    out += box("stsz", stsz);
    if (has_dependencies_.value_or(false))
        out += box("sdtp", kVersionFlags + dependencies_);
    std::string chunks = kVersionFlags + be(chunk_offsets_.size(), 4);
    for (auto o : chunk_offsets_)
        chunks += be(o + data_start, wide_offsets ? 8 : 4);
    out += box(wide_offsets ? "co64" : "stco", chunks);
    return out;
}

std::optional<std::string> Mp4Join::mdia(std::string_view mdia, std::uint64_t ticks,
                                         std::uint64_t data_start, bool wide_offsets) const {
    std::string out;
    Boxes parts(mdia);
    while (auto p = parts.next()) {
        if (p->type == "mdhd") {
            auto mdhd = with_duration(p->payload, kMovieHeader, ticks);
            if (!mdhd)
                return std::nullopt;
            out += box("mdhd", *mdhd);
        } else if (p->type == "minf") {
            std::string minf;
            Boxes inside(p->payload);
            while (auto m = inside.next())
                minf += m->type == "stbl" ? box("stbl", stbl(data_start, wide_offsets))
                                          : box(m->type, m->payload);
            out += box("minf", minf);
        } else {
            out += box(p->type, p->payload);
        }
    }
    return out;
}

std::optional<std::string> Mp4Join::trak(std::string_view trak, std::uint64_t data_start,
                                         bool wide_offsets) const {
    const std::uint64_t ticks = sizes_.size() * std::uint64_t{frame_ticks_};
    const std::uint64_t movie = in_movie_time(ticks, track_timescale_, movie_timescale_);
    std::string out;
    Boxes boxes(trak);
    while (auto b = boxes.next()) {
        if (b->type == "tkhd") {
            auto tkhd = with_duration(b->payload, kTrackHeader, movie);
            if (!tkhd)
                return std::nullopt;
            out += box("tkhd", *tkhd);
        } else if (b->type == "edts") {
            // One edit: the whole video, from the first frame's presentation time.
            const bool wide = movie > std::numeric_limits<std::uint32_t>::max() ||
                              shift_ > std::numeric_limits<std::int32_t>::max();
            out +=
                box("edts", box("elst", be(wide ? 1 : 0, 1) + be(0, 3) + be(1, 4) +
                                            be(movie, wide ? 8 : 4) +
                                            be(static_cast<std::uint64_t>(shift_), wide ? 8 : 4) +
                                            be(0x00010000, 4)));
        } else if (b->type == "mdia") {
            auto mdia_box = mdia(b->payload, ticks, data_start, wide_offsets);
            if (!mdia_box)
                return std::nullopt;
            out += box("mdia", *mdia_box);
        } else {
            out += box(b->type, b->payload);
        }
    }
    return out;
}

std::optional<std::string> Mp4Join::moov(std::uint64_t data_start, bool wide_offsets) const {
    const std::uint64_t movie = in_movie_time(sizes_.size() * std::uint64_t{frame_ticks_},
                                              track_timescale_, movie_timescale_);
    std::string out;
    Boxes boxes(moov_);
    while (auto b = boxes.next()) {
        if (b->type == "mvhd") {
            auto mvhd = with_duration(b->payload, kMovieHeader, movie);
            if (!mvhd)
                return std::nullopt;
            out += box("mvhd", *mvhd);
        } else if (b->type == "trak") {
            auto trak_box = trak(b->payload, data_start, wide_offsets);
            if (!trak_box)
                return std::nullopt;
            out += box("trak", *trak_box);
        } else if (auto udta = without_comment(b->payload); !udta.empty()) {
            out += box("udta", udta);
        }
    }
    return out;
}

std::optional<std::string> Mp4Join::header() {
    if (data_.empty()) {
        refuse("there are no segments");
        return std::nullopt;
    }
    auto narrow = moov(0, false);
    if (!narrow) {
        refuse("the joined video's duration does not fit its index's fields");
        return std::nullopt;
    }
    // The index's size does not depend on the offsets' values, only on their width: 64-bit
    // offsets add 4 bytes a chunk.
    const bool wide_offsets = ftyp_.size() + narrow->size() + 32 + data_bytes_ >
                              std::numeric_limits<std::uint32_t>::max();
    const std::uint64_t index_bytes =
        8 + narrow->size() + (wide_offsets ? 4 * chunk_offsets_.size() : 0);
    narrow.reset();
    const bool wide_mdat = data_bytes_ + 8 > std::numeric_limits<std::uint32_t>::max();
    const std::uint64_t data_start = ftyp_.size() + index_bytes + (wide_mdat ? 16 : 8);
    std::string out = ftyp_;
    out += box("moov", *moov(data_start, wide_offsets));
    out +=
        wide_mdat ? be(1, 4) + "mdat" + be(data_bytes_ + 16, 8) : be(data_bytes_ + 8, 4) + "mdat";
    return out;
}

} // namespace framepipe
