// Progress parsing and formatting: what users read on their terminal and what CI parses from
// --stats-json, pinned down without running ffmpeg.
#include "progress.h"
#include "progress_format.h"
#include "progress_reporter.h"
#include "run_stats.h"

#include "catch.h"
#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace framepipe;

namespace {

std::optional<ProgressBlock> feed_all(ProgressParser& parser,
                                      const std::vector<std::string>& lines) {
    std::optional<ProgressBlock> last;
    for (const auto& l : lines)
        if (auto b = parser.feed(l))
            last = b;
    return last;
}

ProgressSnapshot running(std::uint64_t frames, std::optional<std::uint64_t> expected,
                         double elapsed) {
    ProgressSnapshot s;
    s.elapsed_s = elapsed;
    s.frames_read = frames;
    s.bytes_read = frames * 1000;
    s.frames_encoded = frames;
    s.encode_fps = 87;
    s.speed = 1.4;
    s.input_bytes_per_s = 120.3e6;
    s.output_bytes = 7'000'000;
    s.expected_frames = expected;
    return s;
}

} // namespace

TEST_CASE("a progress block as ffmpeg 5.1 writes it") {
    ProgressParser parser;
    auto block =
        feed_all(parser, {"frame=60", "fps=29.50", "stream_0_0_q=-1.0", "bitrate=  55.5kbits/s",
                          "total_size=13181", "out_time_us=1900065", "out_time_ms=1900065",
                          "out_time=00:00:01.900065", "dup_frames=0", "drop_frames=0",
                          "speed=7.54x", "progress=end"});
    REQUIRE(block);
    CHECK(block->frame == 60u);
    CHECK(*block->fps == Approx(29.5));
    CHECK(*block->bitrate_bps == Approx(55500));
    CHECK(block->total_size == 13181u);
    CHECK(block->out_time_us == 1900065);
    CHECK(*block->speed == Approx(7.54));
    CHECK(block->end);
}

TEST_CASE("the first block's N/A values stay unset") {
    ProgressParser parser;
    auto block = feed_all(parser, {"frame=1", "fps=0.00", "bitrate=N/A", "total_size=N/A",
                                   "out_time_us=N/A", "speed=N/A", "progress=continue"});
    REQUIRE(block);
    CHECK(block->frame == 1u);
    CHECK(*block->fps == 0.0);
    CHECK_FALSE(block->bitrate_bps);
    CHECK_FALSE(block->total_size);
    CHECK_FALSE(block->out_time_us);
    CHECK_FALSE(block->speed);
    CHECK_FALSE(block->end);
}

TEST_CASE("blocks do not leak values into the next one, junk lines are ignored") {
    ProgressParser parser;
    CHECK_FALSE(parser.feed("frame=5"));
    CHECK_FALSE(parser.feed("no equals sign here"));
    CHECK_FALSE(parser.feed("some_future_key=42"));
    CHECK_FALSE(parser.feed("fps=fast"));
    auto first = parser.feed("progress=continue");
    REQUIRE(first);
    CHECK(first->frame == 5u);
    CHECK_FALSE(first->fps);
    auto second = parser.feed("progress=continue");
    REQUIRE(second);
    CHECK_FALSE(second->frame);
}

// Found by the progress fuzz target (tests/fuzz), whose first oracle wrongly expected only a line
// starting "progress=" to close a block: keys are trimmed, so blanks around them change nothing.
TEST_CASE("blanks around a key or value do not hide it") {
    ProgressParser parser;
    CHECK_FALSE(parser.feed("\t frame = 7 "));
    auto block = parser.feed("\t\t\tprogress=continfp0");
    REQUIRE(block);
    CHECK(block->frame == 7u);
    CHECK_FALSE(block->end);
    auto last = parser.feed(" progress =\tend\r");
    REQUIRE(last);
    CHECK(last->end);
}

TEST_CASE("bitrate units and a negative start timestamp") {
    ProgressParser parser;
    auto b = feed_all(parser, {"bitrate=8000.0kbits/s", "out_time_us=-23220", "progress=continue"});
    CHECK(*b->bitrate_bps == Approx(8e6));
    CHECK(b->out_time_us == -23220);
    b = feed_all(parser, {"bitrate=1.5Mbits/s", "progress=continue"});
    CHECK(*b->bitrate_bps == Approx(1.5e6));
    b = feed_all(parser, {"bitrate=12furlongs", "progress=continue"});
    CHECK_FALSE(b->bitrate_bps);
}

TEST_CASE("ffmpeg's zero fps and missing speed keep the earlier figures") {
    ProgressSnapshot s;
    ProgressBlock b;
    b.frame = 10;
    b.fps = 0.0;
    apply_block(s, b);
    CHECK(s.frames_encoded == 10u);
    CHECK_FALSE(s.encode_fps);
    CHECK_FALSE(s.speed);
    b.fps = 60.0;
    b.speed = 2.0;
    apply_block(s, b);
    b.fps = 0.0;
    b.speed.reset();
    apply_block(s, b);
    CHECK(*s.encode_fps == 60.0);
    CHECK(*s.speed == 2.0);
}

TEST_CASE("the input rate spans the recent window, and shows a stall") {
    using namespace std::chrono_literals;
    RateMeter meter(2s);
    RateMeter::Clock::time_point t0{};
    meter.add(t0, 0);
    CHECK_FALSE(meter.rate()); // one sample says nothing
    meter.add(t0 + 100ms, 1000);
    CHECK_FALSE(meter.rate()); // too short to mean anything
    meter.add(t0 + 1s, 10'000'000);
    CHECK(*meter.rate() == Approx(10e6));
    // The producer stops: the rate falls to zero within the window rather than averaging on.
    for (int i = 1; i <= 30; ++i)
        meter.add(t0 + 1s + i * 100ms, 10'000'000);
    CHECK(*meter.rate() == Approx(0));
}

TEST_CASE("sizes, rates and bitrates use decimal units") {
    CHECK(format_size(0) == "0 B");
    CHECK(format_size(48) == "48 B");
    CHECK(format_size(999) == "999 B");
    CHECK(format_size(1000) == "1.0 KB");
    CHECK(format_size(786'500) == "786.5 KB");
    CHECK(format_size(7'000'000) == "7.0 MB");
    CHECK(format_size(2'500'000'000ull) == "2.5 GB");
    CHECK(format_rate(0) == "0 B/s");
    CHECK(format_rate(120.3e6) == "120.3 MB/s");
    CHECK(format_rate(-5) == "0 B/s");
    CHECK(format_bitrate(850e3) == "850.0 kbit/s");
    CHECK(format_bitrate(7.12e6) == "7.1 Mbit/s");
    CHECK(format_bitrate(12) == "12 bit/s");
}

TEST_CASE("durations, speeds and frame rates") {
    CHECK(format_duration(0) == "0:00");
    CHECK(format_duration(7.9) == "0:07");
    CHECK(format_duration(754) == "12:34");
    CHECK(format_duration(3723) == "1:02:03");
    CHECK(format_duration(-1) == "--:--");
    CHECK(format_duration(std::numeric_limits<double>::infinity()) == "--:--");
    CHECK(format_duration(std::numeric_limits<double>::quiet_NaN()) == "--:--");
    CHECK(format_speed(1.44) == "1.4x");
    CHECK(format_speed(0.25) == "0.25x");
    CHECK(format_speed(0) == "0.00x");
    CHECK(format_speed(120) == "120x");
    CHECK(format_fps(87.4) == "87 fps");
    CHECK(format_fps(9.46) == "9.5 fps");
    CHECK(format_fps(0) == "0 fps");
}

TEST_CASE("percentage and ETA") {
    auto s = running(250, 1000, 10);
    CHECK(*fraction_done(s) == Approx(0.25));
    CHECK(*eta_seconds(s) == Approx(30)); // 25 frames/s, 750 to go

    SECTION("unknown total: neither") {
        s.expected_frames.reset();
        CHECK_FALSE(fraction_done(s));
        CHECK_FALSE(eta_seconds(s));
    }
    SECTION("nothing encoded yet: no ETA, percentage from frames read") {
        s.frames_encoded.reset();
        CHECK_FALSE(eta_seconds(s));
        CHECK(*fraction_done(s) == Approx(0.25));
        s.frames_encoded = 0;
        CHECK_FALSE(eta_seconds(s));
        CHECK(*fraction_done(s) == 0);
    }
    SECTION("the first second gives no ETA") {
        s.elapsed_s = 0.5;
        CHECK_FALSE(eta_seconds(s));
    }
    SECTION("more frames than announced: 100% and done") {
        s.frames_encoded = 1200;
        CHECK(*fraction_done(s) == 1.0);
        CHECK(*eta_seconds(s) == 0);
    }
}

TEST_CASE("the bar is exactly as wide as asked") {
    CHECK(render_bar(0, 12) == "[----------]");
    CHECK(render_bar(0.5, 12) == "[#####-----]");
    CHECK(render_bar(0.999, 12) == "[#########-]"); // full only when done
    CHECK(render_bar(1, 12) == "[##########]");
    CHECK(render_bar(7, 6) == "[####]");
    CHECK(render_bar(-1, 6) == "[----]");
    for (int w : {2, 3, 10, 31})
        CHECK(render_bar(0.3, w).size() == static_cast<std::size_t>(w));
}

TEST_CASE("the status line fits every terminal width and keeps what matters") {
    auto s = running(250, 1000, 10);
    for (int columns : {200, 120, 100, 80, 60, 40, 30, 20, 12, 5, 2}) {
        INFO("columns " << columns);
        auto line = status_line(s, columns);
        CHECK(static_cast<int>(line.size()) <= columns - 1);
        if (columns >= 20) {
            CHECK(line.find(" 25%") != std::string::npos);
            CHECK(line.find("250/1000") != std::string::npos);
        }
    }
    CHECK(status_line(s, 1).empty());
    CHECK(status_line(s, 0).empty());

    SECTION("wide: everything, bar included") {
        auto line = status_line(s, 120);
        CHECK(line ==
              "[#####----------------]   25%   250/1000  87 fps  1.4x  elapsed 0:10  ETA 0:30  "
              "in 120.3 MB/s  out 7.0 MB");
    }
    SECTION("the bar grows with the terminal, within limits") {
        auto bar_width = [&](int columns) {
            auto line = status_line(s, columns);
            return line.front() == '[' ? static_cast<int>(line.find(']')) + 1 : 0;
        };
        CHECK(bar_width(60) == 11);
        CHECK(bar_width(80) == 15);
        CHECK(bar_width(120) == 23);
        CHECK(bar_width(400) == 30);
    }
    SECTION("80 columns: the bar and ETA stay, the input rate goes first") {
        auto line = status_line(s, 80);
        CHECK(line.front() == '[');
        CHECK(line.find("ETA 0:30") != std::string::npos);
        CHECK(line.find("in 120.3") == std::string::npos);
    }
    SECTION("narrow: the bar goes before the ETA") {
        auto line = status_line(s, 30);
        CHECK(line.find('[') == std::string::npos);
        CHECK(line.find("ETA 0:30") != std::string::npos);
    }
}

TEST_CASE("the status line without --frames, and before ffmpeg reports anything") {
    ProgressSnapshot s;
    s.elapsed_s = 0.1;
    CHECK(status_line(s, 80) == "0 frames  elapsed 0:00");
    s.expected_frames = 300;
    CHECK(status_line(s, 80) == "[-------------]    0%    0/300  elapsed 0:00  ETA --:--");

    auto r = running(1, std::nullopt, 65);
    r.encode_fps = 0.5;
    r.speed = 0.02;
    CHECK(status_line(r, 100) ==
          "1 frame  0.5 fps  0.02x  elapsed 1:05  in 120.3 MB/s  out 7.0 MB");
}

TEST_CASE("json progress records have every field, null when unknown") {
    ProgressSnapshot s;
    s.elapsed_s = 1.5;
    auto j = progress_json(s);
    CHECK(j["event"] == "progress");
    CHECK(j["frames_read"] == 0);
    for (const char* key : {"frames_encoded", "encode_fps", "speed", "output_bytes", "bitrate_bps",
                            "expected_frames", "percent", "eta_s", "input_bytes_per_s"}) {
        INFO(key);
        REQUIRE(j.contains(key));
        CHECK(j[key].is_null());
    }
    j = progress_json(running(250, 1000, 10));
    CHECK(j["percent"] == 25.0);
    CHECK(j["eta_s"] == 30.0);
    CHECK(j["frames_encoded"] == 250);
}

TEST_CASE("the progress mode follows --progress, --quiet, --progress-fd and the terminal") {
    using C = ProgressChoice;
    using M = ProgressMode;
    CHECK(resolve_progress_mode(C::automatic, false, false, true) == M::bar);
    CHECK(resolve_progress_mode(C::automatic, false, false, false) == M::none);
    CHECK(resolve_progress_mode(C::automatic, false, true, true) == M::none);
    CHECK(resolve_progress_mode(C::automatic, true, false, true) == M::json);
    CHECK(resolve_progress_mode(C::bar, false, false, false) == M::bar);
    CHECK(resolve_progress_mode(C::bar, false, true, true) == M::none);
    CHECK(resolve_progress_mode(C::json, false, true, false) == M::json);
    CHECK(resolve_progress_mode(C::none, false, false, true) == M::none);
}

TEST_CASE("COLUMNS is a width only as a positive whole number") {
    CHECK(parse_columns("120") == 120);
    CHECK(parse_columns(nullptr) == 0);
    // atoi's result was undefined beyond int's range.
    for (const char* bad : {"", "0", "-80", "80x", " 80", "99999999999999999999"})
        CHECK(parse_columns(bad) == 0);
}

TEST_CASE("the bottleneck is the side framepipe waited for longer") {
    CHECK(bottleneck(3.2, 0.1) == "producer-bound");
    CHECK(bottleneck(0.1, 3.2) == "encoder-bound");
    CHECK_FALSE(bottleneck(0, 0));
}

TEST_CASE("exit reasons") {
    RunStats s;
    s.frame_bytes = 100;
    auto reason = [&](int code) {
        s.exit_status = code;
        return exit_reason(s);
    };
    CHECK(reason(0) == "ok");
    CHECK(reason(130) == "interrupted");
    CHECK(reason(143) == "interrupted");
    CHECK(reason(5) == "ffmpeg_failed");
    CHECK(reason(3) == "no_input");
    s.bytes_read = 250;
    CHECK(reason(3) == "partial_frame");
    s.input_error = true;
    CHECK(reason(3) == "input_error");
    CHECK(reason(4) == "output_error");
    CHECK(reason(7) == "encoder_unavailable");
}

TEST_CASE("the final report and the stats document") {
    RunStats s;
    s.output_path = "out.mp4";
    s.fps = {60, 1};
    s.frame_bytes = 1000;
    s.preset = "x264-crf17";
    s.encoder = "libx264";
    SupervisorResult r;
    r.bytes_delivered = 300 * 1000 + 10;
    r.seconds_total = 2.0;
    r.seconds_waiting_for_input = 0.2;
    r.seconds_waiting_for_ffmpeg = 1.5;
    ProgressBlock last;
    last.frame = 300;
    record_supervision(s, r, last);
    s.output_written = true;
    s.output_bytes = 5'000'000;

    CHECK(final_report_line(s) ==
          "wrote 300 frames (5.00 s at 60 fps) to out.mp4: 5.0 MB, 8.0 Mbit/s; encoded at "
          "150 fps (2.5x real time) by libx264 (preset x264-crf17); encoder-bound");
    s.fallback_from = "nvenc-8M";
    CHECK(final_report_line(s).find("by libx264 (preset x264-crf17, fallback from nvenc-8M)") !=
          std::string::npos);

    s.exit_status = 3;
    auto j = stats_json(s);
    CHECK(j["exit_reason"] == "partial_frame");
    CHECK(j["frames_read"] == 300);
    CHECK(j["frames_encoded"] == 300);
    CHECK(j["bytes_read"] == 300010);
    CHECK(j["partial_frame_bytes"] == 10);
    CHECK(j["output_bytes"] == 5000000);
    CHECK(j["fallback_used"] == true);
    CHECK(j["fallback_from"] == "nvenc-8M");
    CHECK(j["ffmpeg_exit_status"] == 0);
    CHECK(j["ffmpeg_signal"].is_null());
    CHECK(j["bottleneck"] == "encoder-bound");
    CHECK(j["speed"] == Approx(2.5));
}

TEST_CASE("stats of a run that never reached ffmpeg") {
    RunStats s;
    s.output_path = "out.mp4";
    s.exit_status = 7;
    auto j = stats_json(s);
    CHECK(j["exit_reason"] == "encoder_unavailable");
    CHECK(j["frames_encoded"].is_null());
    CHECK(j["ffmpeg_exit_status"].is_null());
    CHECK(j["encode_fps"].is_null());
    CHECK(j["output_written"] == false);
    CHECK(j["output_bytes"].is_null());
}

TEST_CASE("a file name or ffmpeg message that is not UTF-8 does not break --stats-json") {
    RunStats s;
    s.output_path = "caf\xe9.mp4"; // Latin-1, as an old archive might name it
    s.exit_status = 0;
    s.fallback_tried = {"nvenc-8M (h264_nvenc: \xff\xfe)"};
    auto text = stats_json_text(s);
    CHECK(text.back() == '\n');
    auto j = nlohmann::json::parse(text);
    CHECK(j["output"] == "caf\xef\xbf\xbd.mp4"); // U+FFFD
    CHECK(j["fallback_tried"][0] == "nvenc-8M (h264_nvenc: \xef\xbf\xbd\xef\xbf\xbd)");
}

namespace {

// The terminal or log a reporter draws on: a non-blocking pipe, so a test reads what was drawn so
// far without waiting, and both ends close even when a REQUIRE ends the test early.
class Screen {
  public:
    Screen() { REQUIRE(::pipe2(fds_, O_NONBLOCK) == 0); }
    ~Screen() {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    Screen(const Screen&) = delete;
    Screen& operator=(const Screen&) = delete;

    ProgressSettings settings(ProgressMode mode) const {
        ProgressSettings settings;
        settings.mode = mode;
        settings.fd = fds_[1];
        settings.frame_bytes = 100;
        return settings;
    }

    // A reader that stopped reading: the pipe shrunk to one page and full, and writes to it
    // blocking, as on a real --progress-fd or terminal.
    void stall() const {
        ::fcntl(fds_[1], F_SETPIPE_SZ, 4096);
        std::string page(4096, 'x');
        while (::write(fds_[1], page.data(), page.size()) > 0) {
        }
        ::fcntl(fds_[1], F_SETFL, 0);
    }

    std::string read_available() const {
        std::string out;
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fds_[0], buf, sizeof buf)) > 0)
            out.append(buf, static_cast<std::size_t>(n));
        return out;
    }

  private:
    int fds_[2] = {-1, -1};
};

} // namespace

TEST_CASE("the status line is drawn at most every 100 ms and erased at the end") {
    Screen screen;
    ProgressSettings settings = screen.settings(ProgressMode::bar);
    settings.expected_frames = 10;
    {
        ProgressReporter reporter(settings);
        SupervisorEvents events;
        reporter.attach(events);
        events.on_tick();
        CHECK(screen.read_available().empty()); // too early: nothing yet
        std::this_thread::sleep_for(std::chrono::milliseconds(120));
        events.on_input(500);
        for (const char* line : {"frame=4", "fps=0.00", "total_size=2000", "progress=continue"})
            events.on_progress_line(line);
        events.on_tick();
        events.on_tick(); // within 100 ms of the last: skipped
        auto drawn = screen.read_available();
        CHECK(drawn.front() == '\r');
        CHECK(drawn.back() == '\r');
        CHECK(std::count(drawn.begin(), drawn.end(), '[') == 1);
        CHECK(drawn.find("4/10") != std::string::npos);
        CHECK(drawn.find("out 2.0 KB") != std::string::npos);
        REQUIRE(reporter.last_block());
        CHECK(reporter.last_block()->frame == 4u);

        reporter.finish();
        auto erased = screen.read_available();
        auto width = drawn.size() - 2;
        CHECK(erased == "\r" + std::string(width, ' ') + "\r");
        std::this_thread::sleep_for(std::chrono::milliseconds(120));
        events.on_tick();
        CHECK(screen.read_available().empty()); // finished: silent for good
    }
    CHECK(screen.read_available().empty()); // the destructor does not erase twice
}

TEST_CASE("a reader that stops reading costs progress records, never the run's time") {
    Screen screen;
    screen.stall();
    {
        ProgressReporter reporter(screen.settings(ProgressMode::bar));
        SupervisorEvents events;
        reporter.attach(events);
        std::this_thread::sleep_for(std::chrono::milliseconds(120));
        auto started = std::chrono::steady_clock::now();
        events.on_tick(); // the pipe is full: this line is dropped at once
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(50));
        CHECK(screen.read_available() == std::string(4096, 'x'));
        std::this_thread::sleep_for(std::chrono::milliseconds(120));
        events.on_tick(); // the reader caught up: lines flow again
        auto drawn = screen.read_available();
        CHECK(drawn.front() == '\r');
        CHECK(drawn.find("elapsed") != std::string::npos);
        reporter.finish();
    }
}

TEST_CASE("json mode ends with an end record, even for a run too short for progress records") {
    Screen screen;
    ProgressSettings settings = screen.settings(ProgressMode::json);
    {
        ProgressReporter reporter(settings);
        SupervisorEvents events;
        reporter.attach(events);
        events.on_input(1050);
        for (const char* line : {"frame=10", "progress=end"})
            events.on_progress_line(line);
        events.on_tick();
    }
    auto text = screen.read_available();
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    auto j = nlohmann::json::parse(text);
    CHECK(j["event"] == "end");
    CHECK(j["frames_read"] == 10);
    CHECK(j["bytes_read"] == 1050);
    CHECK(j["frames_encoded"] == 10);
}

TEST_CASE("a video that ends well before the frames ffmpeg read is cut short, a new rate is not") {
    RunStats s;
    s.fps = {30, 1};
    s.frame_bytes = 100;
    s.bytes_read = 20 * 100;
    CHECK_FALSE(s.video_cut_short()); // no progress report: nothing to tell by
    ProgressBlock last;
    last.frame = 4;
    last.out_time_us = 133'333; // -frames:v 4 of 20
    s.last_block = last;
    CHECK(s.video_cut_short());
    last.frame = 10;
    last.out_time_us = 600'000; // -r 15: half the frames, the same length (the last one's start)
    s.last_block = last;
    CHECK_FALSE(s.video_cut_short());
    last.frame = 20;
    last.out_time_us = 633'333; // every frame, reported at the last one's start
    s.last_block = last;
    CHECK_FALSE(s.video_cut_short());
    s.bytes_read = 5 * 100;
    last.frame = 5;
    last.out_time_us = 80'000; // every frame of a tiny video, its time lagging by B-frame delay
    s.last_block = last;
    CHECK_FALSE(s.video_cut_short());
}
