// How progress looks: the self-updating status line and the JSON progress records. Pure
// functions of a snapshot and a terminal width, so every layout is unit-tested without a
// terminal; progress_reporter.h decides when and where they are written.
#pragma once

#include "progress.h"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace framepipe {

// What is known at one moment of a run. Encoder-side fields come from ffmpeg's -progress blocks
// and stay empty until the first block arrives; input-side fields are framepipe's own counts.
struct ProgressSnapshot {
    double elapsed_s = 0;
    std::uint64_t bytes_read = 0;
    std::uint64_t frames_read = 0;
    std::optional<double> input_bytes_per_s;
    std::optional<std::uint64_t> frames_encoded;
    std::optional<double> encode_fps;
    std::optional<double> speed;
    std::optional<std::uint64_t> output_bytes;
    std::optional<double> bitrate_bps;
    std::optional<std::uint64_t> expected_frames; // --frames
};

// Takes the encoder-side figures from one of ffmpeg's blocks. ffmpeg reports fps 0 for its first
// second and speed N/A before its first timestamp; the previous figures (or none) are kept then
// rather than made up.
void apply_block(ProgressSnapshot& s, const ProgressBlock& block);

// Share of --frames done, 0..1: frames ffmpeg has encoded, or read ones before it reports.
std::optional<double> fraction_done(const ProgressSnapshot& s);
// Seconds left at the average rate so far; nothing without --frames, before a frame is done or
// in the first second.
std::optional<double> eta_seconds(const ProgressSnapshot& s);

// "48 B", "786.5 KB", "7.0 MB": decimal units, as file managers and ls -h --si show them; for
// the status line and the final report alike.
std::string format_size(std::uint64_t bytes);
// "0 B/s", "812 B/s", "12.3 MB/s": the same units per second.
std::string format_rate(double bytes_per_second);
// "850 kbit/s", "7.1 Mbit/s".
std::string format_bitrate(double bits_per_second);
// "0:07", "12:34", "1:02:03"; "--:--" for a negative or non-finite value.
std::string format_duration(double seconds);
// "1.4x", "0.25x", "120x".
std::string format_speed(double speed);
// "87 fps", "9.5 fps".
std::string format_fps(double fps);
// A bar exactly `width` characters wide including its brackets, e.g. "[####------]".
std::string render_bar(double fraction, int width);

// The status line, at most `columns - 1` characters (writing into a terminal's last column
// makes some terminals wrap). With --frames: bar, percentage and ETA; the bar takes whatever
// width the figures leave, and on narrow terminals the least useful figures go first.
std::string status_line(const ProgressSnapshot& s, int columns);

// One JSON progress record ("event": "progress"); unknown values are null.
nlohmann::ordered_json progress_json(const ProgressSnapshot& s);

} // namespace framepipe
