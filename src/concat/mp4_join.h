// Joining MP4/MOV segments without ffmpeg. framepipe's segments of one preset share their sample
// description, frame duration and layout (one video track, its samples stored one after another),
// so the joined file is the first segment's index with the segments' sample tables appended one
// to another, followed by each segment's sample data copied unchanged: the kernel copies the data
// (copy_file_range), and the join costs no ffmpeg start-up and no reading of the segments into
// a process. ffmpeg's concat demuxer opens and probes every segment, which cost about 20 ms a
// segment of 720p (decoding its first frames) on top of the copy.
//
// Only the plain layout ffmpeg writes for framepipe's segments is joined here; any segment that
// differs (another box in its sample tables, frames of different durations, a reordering this
// cannot carry over, an index that would pass 4 MiB) makes the join ffmpeg's, as before.
#pragma once

#include "concat/mp4_samples.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace framepipe {

// Bytes of a segment file to copy, in order, after the joined file's header.
struct ByteRange {
    std::uint64_t offset = 0, length = 0;
};

class Mp4Join {
  public:
    // A run of chunks in stsc: the first (1-based) and the samples in each.
    struct ChunkRun {
        std::uint32_t first, samples;
    };

    // The next segment in frame order: its `ftyp` box (whole, header included), its `moov`
    // payload and its file's size. False, with why() saying why, when it cannot be joined here;
    // the join must then be left to ffmpeg. The first segment's index is kept; later ones are
    // only read during the call.
    bool add(std::string_view ftyp, std::string_view moov, std::uint64_t file_size);

    // After the last add(): the bytes that come before the sample data (ftyp, moov, the mdat
    // box's header). Nothing when a value does not fit its field (then why() says which).
    std::optional<std::string> header();

    // Where each segment's sample data is, in the order it is copied.
    const std::vector<ByteRange>& data() const { return data_; }
    const std::string& why() const { return why_; }

  private:
    bool refuse(std::string reason);
    bool add_tables(std::string_view stbl, Mp4Samples samples, std::int64_t shift,
                    std::uint64_t file_size);
    bool add_samples(Mp4Samples samples, std::int64_t shift,
                     std::optional<std::string_view> dependencies);
    bool add_chunks(const std::vector<ChunkRun>& runs, const std::vector<std::uint64_t>& offsets,
                    std::size_t first_sample, std::uint64_t file_size);
    std::optional<std::string> moov(std::uint64_t data_start, bool wide_offsets) const;
    std::optional<std::string> trak(std::string_view trak, std::uint64_t data_start,
                                    bool wide_offsets) const;
    std::optional<std::string> mdia(std::string_view mdia, std::uint64_t ticks,
                                    std::uint64_t data_start, bool wide_offsets) const;
    std::string stbl(std::uint64_t data_start, bool wide_offsets) const;
    std::uint64_t index_bytes() const; // of the joined tables so far

    // The first segment's, which the joined file takes.
    std::string ftyp_, moov_, sample_description_;
    std::uint32_t movie_timescale_ = 0, track_timescale_ = 0, frame_ticks_ = 0;
    std::int64_t shift_ = 0; // where presentation starts: its edit list's media time
    bool has_edit_ = false;

    // The joined sample tables, built as segments are added.
    std::vector<std::uint32_t> sizes_, sync_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> offsets_;    // ctts runs: count, offset
    std::vector<std::pair<std::uint32_t, std::uint32_t>> chunk_runs_; // stsc: first chunk, samples
    std::vector<std::uint64_t> chunk_offsets_; // from the start of the joined sample data
    std::optional<bool> has_dependencies_;     // whether the segments have sdtp, once known
    std::string dependencies_;                 // sdtp's bytes after version and flags
    std::uint64_t data_bytes_ = 0;
    bool all_key_ = true;
    std::vector<ByteRange> data_;
    std::string why_;
};

} // namespace framepipe
