#include "concat/mp4_samples.h"

#include "concat/mp4_boxes.h"

namespace framepipe {

namespace {

using mp4::Cursor;

// Where presentation starts, from an edit list box: see presentation_start().
std::optional<std::int64_t> edit_start(std::optional<std::string_view> elst) {
    if (!elst)
        return 0;
    Cursor c(*elst);
    const bool wide = c.number(1) == 1;
    c.skip(3);
    const auto count = c.u32();
    c.skip(wide ? 8 : 4); // segment duration
    const auto media_time = c.number(wide ? 8 : 4);
    const auto rate = c.u32();
    if (!c.ok() || count != 1 || rate != 0x00010000)
        return std::nullopt;
    const auto time = wide ? static_cast<std::int64_t>(media_time)
                           : static_cast<std::int64_t>(static_cast<std::int32_t>(media_time));
    if (time < 0) // an empty edit: nothing is shown from the media at all
        return std::nullopt;
    return time;
}

} // namespace

std::optional<std::uint32_t> Mp4Samples::Runs::next(bool& ok) {
    while (left == 0) {
        if (entries.size() < 8) {
            ok = false;
            return std::nullopt;
        }
        Cursor c(entries);
        left = c.u32();
        value = c.u32();
        entries.remove_prefix(8);
    }
    --left;
    return value;
}

std::optional<Mp4Samples> Mp4Samples::open(std::string_view moov) {
    auto trak = mp4::video_track(moov);
    auto mdhd = trak ? mp4::descend(*trak, {"mdia", "mdhd"}) : std::nullopt;
    auto stbl = trak ? mp4::descend(*trak, {"mdia", "minf", "stbl"}) : std::nullopt;
    auto timing = mdhd ? mp4::read_timing(*mdhd) : std::nullopt;
    auto stts = stbl ? mp4::child(*stbl, "stts") : std::nullopt;
    auto stsz = stbl ? mp4::child(*stbl, "stsz") : std::nullopt;
    if (!timing || !stts || !stsz)
        return std::nullopt;
    Mp4Samples s;
    s.timescale_ = timing->timescale;
    s.start_ = edit_start(mp4::descend(*trak, {"edts", "elst"}));
    std::uint32_t n = 0;
    auto durations = mp4::table_entries(*stts, 8, n);
    if (!durations)
        return std::nullopt;
    s.durations_ = {*durations, 0, 0, true};
    if (auto ctts = mp4::child(*stbl, "ctts")) {
        auto offsets = mp4::table_entries(*ctts, 8, n);
        if (!offsets)
            return std::nullopt;
        s.offsets_ = {*offsets, 0, 0, true};
        s.signed_offsets_ = !ctts->empty() && ctts->front() == 1; // version 1: signed offsets
    }
    if (auto stss = mp4::child(*stbl, "stss")) {
        auto sync = mp4::table_entries(*stss, 4, n);
        if (!sync)
            return std::nullopt;
        s.sync_ = *sync;
        s.all_key_ = false;
    }
    Cursor sizes(*stsz);
    sizes.skip(4);
    s.fixed_size_ = sizes.u32();
    const auto count = sizes.u32();
    if (!sizes.ok() || (s.fixed_size_ == 0 && sizes.left() / 4 < count))
        return std::nullopt;
    s.count_ = count;
    s.sizes_ = sizes.rest();
    return s;
}

std::optional<Mp4Sample> Mp4Samples::next() {
    if (!ok_)
        return std::nullopt;
    if (done_ == count_) {
        // A table listing samples beyond stsz's count disagrees with it.
        ok_ = durations_.left == 0 && durations_.entries.empty() && offsets_.left == 0 &&
              offsets_.entries.empty() && sync_.empty();
        return std::nullopt;
    }
    Mp4Sample sample;
    if (fixed_size_ != 0) {
        sample.size = fixed_size_;
    } else {
        Cursor c(sizes_);
        sample.size = c.u32();
        sizes_.remove_prefix(4);
    }
    ++done_;
    // ISO 14496-12 numbers samples from 1; stss lists the sync ones in increasing order.
    if (all_key_) {
        sample.key = true;
    } else if (sync_.size() >= 4 && Cursor(sync_).u32() == done_) {
        sample.key = true;
        sync_.remove_prefix(4);
    }
    auto duration = durations_.next(ok_);
    std::int64_t offset = 0;
    if (offsets_.present) {
        auto raw = offsets_.next(ok_).value_or(0);
        offset = signed_offsets_ ? static_cast<std::int32_t>(raw) : static_cast<std::int64_t>(raw);
    }
    if (!ok_)
        return std::nullopt;
    sample.pts = dts_ + offset;
    dts_ += *duration;
    return sample;
}

} // namespace framepipe
