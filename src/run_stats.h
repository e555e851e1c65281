// What one run did, for the final report line and --stats-json. Pure: app.cpp fills a RunStats
// as the run goes, run_report.h reads the output's size and writes the file.
#pragma once

#include "child_process.h"
#include "progress.h"
#include "rational.h"
#include "supervisor.h"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

// What --colormap did: the map, and the range once it is known.
struct ColormapStats {
    std::string name;
    std::string range_from; // "given", "default" or "auto:N"
    std::optional<double> lo, hi;
    unsigned range_frames = 0;     // auto: the frames the range was taken from
    bool no_finite_values = false; // auto: those frames held only NaN and infinities
};

struct RunStats {
    std::string output_path;
    Rational fps{30, 1};
    std::uint64_t frame_bytes = 1;

    // The encoder actually used, and the hardware presets given up on before it.
    std::string preset;
    std::string encoder;
    std::optional<std::string> fallback_from;
    std::vector<std::string> fallback_tried;
    // Who turned the RGB into YUV: "framepipe", "ffmpeg" or "none"; empty before it is decided.
    std::string conversion;
    unsigned conversion_threads = 0; // framepipe's worker threads, when it converted or decoded
    std::optional<ColormapStats> colormap;

    // Set once ffmpeg has run.
    bool ffmpeg_ran = false;
    std::optional<ExitStatus> ffmpeg_exit;
    std::uint64_t bytes_read = 0;
    std::optional<std::uint64_t> frames_counted; // a stream's frames (src/streams/), counted
    double wall_seconds = 0;
    double seconds_waiting_for_input = 0;
    double seconds_waiting_for_ffmpeg = 0;
    int interrupted_by = 0;
    bool input_error = false;
    std::optional<ProgressBlock> last_block; // ffmpeg's final -progress block

    // Set at the end.
    bool output_written = false;
    std::optional<std::uint64_t> output_bytes;
    int exit_status = 0;

    std::uint64_t frames_read() const { return frames_counted.value_or(bytes_read / frame_bytes); }
    std::uint64_t partial_frame_bytes() const {
        return frames_counted ? 0 : bytes_read % frame_bytes;
    }
    // Frames in the video: ffmpeg's own count when it gave one, else the whole frames sent.
    std::uint64_t frames_in_video() const;
    double video_seconds() const;
    // True when ffmpeg's video ends well before the frames it read do (output options such as
    // -frames:v or -t limited it). ffmpeg 5.1 then stops reading, which the relay sees; 7.1 reads
    // ahead in a thread of its own and may take every frame, so only its timestamps tell. A
    // changed output rate (-r) keeps the duration and is not flagged.
    bool video_cut_short() const;
};

void record_supervision(RunStats& stats, const SupervisorResult& r,
                        std::optional<ProgressBlock> last_block);

// "producer-bound" when framepipe waited longer for input than for ffmpeg to take it,
// "encoder-bound" otherwise; nothing when it never had to wait for either.
std::optional<std::string> bottleneck(double seconds_waiting_for_input,
                                      double seconds_waiting_for_ffmpeg);

// "ok", "interrupted", "ffmpeg_failed", "input_error", "partial_frame", "no_input",
// "output_error", "ffmpeg_unusable", "encoder_unavailable", "preset_error", "usage", "internal".
std::string exit_reason(const RunStats& stats);

// For --range auto: the range chosen and where it came from, for a note.
std::optional<std::string> auto_range_note(const RunStats& stats);

// The one line printed at the end of a successful (or interrupted) run.
std::string final_report_line(const RunStats& stats);

// The --stats-json document; every field is described in docs/cli.md.
nlohmann::ordered_json stats_json(const RunStats& stats);
// stats_json as the text of --stats-json. File names and ffmpeg's words are bytes, not always
// UTF-8 (a Latin-1 name from an old archive): invalid sequences become U+FFFD rather than making
// the report, and with it the run, fail.
std::string stats_json_text(const RunStats& stats);

} // namespace framepipe
