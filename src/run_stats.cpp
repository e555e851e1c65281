#include "run_stats.h"

#include "colormap/colormap_options.h"
#include "exit_codes.h"
#include "messages.h"
#include "progress_format.h"

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

namespace framepipe {

namespace {

template <typename T>
nlohmann::ordered_json or_null(const std::optional<T>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

// Rates over the whole run, end to end: what the user waited, not what ffmpeg alone took. Only
// for a video that exists: frames sent to an ffmpeg that failed were not encoded at any rate.
std::optional<double> per_wall_second(const RunStats& s, double amount) {
    if (!s.ffmpeg_ran || !s.output_written || s.wall_seconds <= 0)
        return std::nullopt;
    return amount / s.wall_seconds;
}

std::optional<double> average_bitrate(const RunStats& s) {
    if (!s.output_bytes || s.video_seconds() <= 0)
        return std::nullopt;
    return static_cast<double>(*s.output_bytes) * 8 / s.video_seconds();
}

} // namespace

std::uint64_t RunStats::frames_in_video() const {
    if (last_block && last_block->frame)
        return *last_block->frame;
    return frames_read();
}

double RunStats::video_seconds() const {
    return static_cast<double>(frames_in_video()) / fps.value();
}

bool RunStats::video_cut_short() const {
    if (!last_block || !last_block->out_time_us || !last_block->frame ||
        *last_block->frame >= frames_read())
        return false;
    // Every frame read was encoded: a short out_time then is only the encoder's delay at the end
    // of a short video (x264 with 4 or 6 frames at 25 fps gave "used only 4 of the 4 frames").
    if (last_block->frame && *last_block->frame >= frames_read())
        return false;
    const double sent = static_cast<double>(frames_read()) / fps.value();
    const double covered = static_cast<double>(*last_block->out_time_us) / 1e6;
    // Fewer frames encoded than read is not enough (-r 15 halves them); the video must also be
    // shorter. ffmpeg reports the last frame's start or end, or lags by the encoder's delay,
    // depending on version, encoder and muxer; the margin (two frames, and a tenth) keeps that, and
    // rounding of a changed rate, from counting.
    return covered < 0.9 * sent - 2.0 / fps.value();
}

void record_supervision(RunStats& stats, const SupervisorResult& r,
                        std::optional<ProgressBlock> last_block) {
    stats.ffmpeg_ran = true;
    stats.ffmpeg_exit = r.child;
    stats.bytes_read = r.bytes_delivered;
    stats.frames_counted = r.frames_delivered;
    stats.wall_seconds = r.seconds_total;
    stats.seconds_waiting_for_input = r.seconds_waiting_for_input;
    stats.seconds_waiting_for_ffmpeg = r.seconds_waiting_for_ffmpeg;
    stats.interrupted_by = r.interrupted_by;
    stats.input_error = !r.input_error.empty();
    stats.last_block = std::move(last_block);
}

std::optional<std::string> bottleneck(double seconds_waiting_for_input,
                                      double seconds_waiting_for_ffmpeg) {
    if (seconds_waiting_for_input <= 0 && seconds_waiting_for_ffmpeg <= 0)
        return std::nullopt;
    return seconds_waiting_for_input > seconds_waiting_for_ffmpeg ? "producer-bound"
                                                                  : "encoder-bound";
}

std::string exit_reason(const RunStats& s) {
    const int code = s.exit_status;
    if (code >= 128)
        return "interrupted";
    switch (static_cast<ExitCode>(code)) {
    case ExitCode::ok:
        return "ok";
    case ExitCode::internal:
        return "internal";
    case ExitCode::usage:
        return "usage";
    case ExitCode::input:
        if (s.input_error)
            return "input_error";
        if (s.partial_frame_bytes() != 0)
            return "partial_frame";
        return s.bytes_read == 0 ? "no_input" : "input_error";
    case ExitCode::output:
        return "output_error";
    case ExitCode::ffmpeg_failed:
        return "ffmpeg_failed";
    case ExitCode::ffmpeg_unusable:
        return "ffmpeg_unusable";
    case ExitCode::encoder_unavailable:
        return "encoder_unavailable";
    case ExitCode::preset:
        return "preset_error";
    case ExitCode::segments: // only framepipe concat, whose --stats-json has no exit_reason
        return "segments_error";
    case ExitCode::constraints_unmet: // only framepipe bench, which writes no --stats-json
        return "constraints_unmet";
    }
    return "exit_" + std::to_string(code);
}

std::string final_report_line(const RunStats& s) {
    const std::uint64_t frames = s.frames_in_video();
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", s.video_seconds());
    std::string line = "wrote " + std::to_string(frames) + (frames == 1 ? " frame" : " frames") +
                       " (" + seconds + " s at " + to_string(s.fps) + " fps) to " + s.output_path +
                       ": " + format_size(s.output_bytes.value_or(0));
    if (auto rate = average_bitrate(s))
        line += ", " + format_bitrate(*rate);
    line += "; encoded";
    if (auto fps = per_wall_second(s, static_cast<double>(frames)))
        line += " at " + format_fps(*fps);
    if (auto speed = per_wall_second(s, s.video_seconds()))
        line += " (" + format_speed(*speed) + " real time)";
    line += " by " + s.encoder + " (preset " + s.preset;
    if (s.fallback_from)
        line += ", fallback from " + *s.fallback_from;
    line += ")";
    if (auto b = bottleneck(s.seconds_waiting_for_input, s.seconds_waiting_for_ffmpeg))
        line += "; " + *b;
    return line;
}

std::optional<std::string> auto_range_note(const RunStats& s) {
    if (!s.colormap || !s.colormap->lo || !s.colormap->range_from.starts_with("auto"))
        return std::nullopt;
    const auto& c = *s.colormap;
    const std::string range = range_text({*c.lo, *c.hi});
    const std::string frames = c.range_frames == 1
                                   ? "the first frame"
                                   : "the first " + std::to_string(c.range_frames) + " frames";
    if (c.no_finite_values)
        return "--range " + c.range_from + ": " + frames +
               " held no finite value (only NaN or infinities): coloured with the range " + range;
    return "--range " + c.range_from + ": coloured with the range " + range + ", from " + frames;
}

namespace {

nlohmann::ordered_json colormap_json(const std::optional<ColormapStats>& c) {
    if (!c)
        return nullptr;
    nlohmann::ordered_json j;
    j["name"] = c->name;
    j["range"] =
        c->lo ? nlohmann::ordered_json::array({*c->lo, *c->hi}) : nlohmann::ordered_json(nullptr);
    j["range_from"] = c->range_from;
    if (c->range_from.starts_with("auto")) {
        j["range_frames"] = c->range_frames;
        j["range_had_finite_values"] = !c->no_finite_values;
    }
    return j;
}

} // namespace

nlohmann::ordered_json stats_json(const RunStats& s) {
    nlohmann::ordered_json j;
    j["exit_reason"] = exit_reason(s);
    j["exit_status"] = s.exit_status;
    j["interrupted_by"] =
        s.interrupted_by != 0 && sigabbrev_np(s.interrupted_by) != nullptr
            ? nlohmann::ordered_json(std::string("SIG") + sigabbrev_np(s.interrupted_by))
            : nlohmann::ordered_json(nullptr);
    j["output"] = s.output_path;
    j["output_written"] = s.output_written;
    j["output_bytes"] = or_null(s.output_bytes);
    j["frames_read"] = s.frames_read();
    j["frames_encoded"] =
        s.last_block ? or_null(s.last_block->frame) : nlohmann::ordered_json(nullptr);
    j["bytes_read"] = s.bytes_read;
    j["frame_bytes"] = s.frame_bytes;
    j["partial_frame_bytes"] = s.partial_frame_bytes();
    j["frame_rate"] = to_string(s.fps);
    j["video_seconds"] = s.output_written ? nlohmann::ordered_json(s.video_seconds())
                                          : nlohmann::ordered_json(nullptr);
    j["wall_seconds"] = s.wall_seconds;
    j["seconds_blocked_on_read"] = s.seconds_waiting_for_input;
    j["seconds_blocked_on_write"] = s.seconds_waiting_for_ffmpeg;
    j["bottleneck"] =
        or_null(bottleneck(s.seconds_waiting_for_input, s.seconds_waiting_for_ffmpeg));
    j["encode_fps"] = or_null(per_wall_second(s, static_cast<double>(s.frames_in_video())));
    j["speed"] = or_null(per_wall_second(s, s.video_seconds()));
    j["bitrate_bps"] = or_null(average_bitrate(s));
    if (s.ffmpeg_exit) {
        j["ffmpeg_exit_status"] = s.ffmpeg_exit->signaled
                                      ? nlohmann::ordered_json(nullptr)
                                      : nlohmann::ordered_json(s.ffmpeg_exit->value);
        j["ffmpeg_signal"] = s.ffmpeg_exit->signaled ? nlohmann::ordered_json(s.ffmpeg_exit->value)
                                                     : nlohmann::ordered_json(nullptr);
        j["ffmpeg_exit"] = s.ffmpeg_exit->describe();
    } else {
        j["ffmpeg_exit_status"] = nullptr;
        j["ffmpeg_signal"] = nullptr;
        j["ffmpeg_exit"] = nullptr;
    }
    j["encoder"] =
        s.encoder.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.encoder);
    j["preset"] =
        s.preset.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.preset);
    j["fallback_used"] = s.fallback_from.has_value();
    j["fallback_from"] = or_null(s.fallback_from);
    j["fallback_tried"] = s.fallback_tried;
    j["conversion"] = s.conversion.empty() ? nlohmann::ordered_json(nullptr)
                                           : nlohmann::ordered_json(s.conversion);
    j["conversion_threads"] = s.conversion_threads > 0
                                  ? nlohmann::ordered_json(s.conversion_threads)
                                  : nlohmann::ordered_json(nullptr);
    j["colormap"] = colormap_json(s.colormap);
    return j;
}

std::string stats_json_text(const RunStats& stats) {
    return stats_json(stats).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace framepipe
