// Reading ffmpeg's stderr: which lines mean the file is incomplete whatever ffmpeg's exit status,
// which lines are kept to explain a failure, and the advice given for them. The lines are as
// ffmpeg 5.1 writes them under framepipe's `-loglevel level+info`.
#include "diagnosis.h"
#include "log_tail.h"

#include "catch.h"
#include <deque>
#include <string>
#include <vector>

using namespace framepipe;

TEST_CASE("a failed trailer or close is a write error, whatever tag or context precedes it") {
    for (const char* line : {
             "[error] Error writing trailer of file:/v/.out.mp4.framepipe-7.part: Input/output "
             "error",
             "[out#0/mp4 @ 0x55d0] [error] Error writing trailer: No space left on device",
             "[error] Error closing file file:out.mkv: Disk quota exceeded",
             "Error writing trailer of file:out.mp4: Invalid argument",
             "[error] av_interleaved_write_frame(): File too large",
             "[mp4 @ 0x5555] [error] Error writing packet: No space left on device",
         })
        CHECK(is_output_write_error(line));
    for (const char* line : {
             "[info] Output #0, mp4, to 'file:out.mp4':",
             "[error] Error while decoding stream #0:0: Invalid data found when processing input",
             "[warning] Trailing option(s) found in the command",
             "[libx264 @ 0x5555] [info] frame I:1     Avg QP:13.00  size: 12345",
         })
        CHECK_FALSE(is_output_write_error(line));
}

TEST_CASE("the first matching cause wins, and unknown failures get no made-up advice") {
    CHECK(diagnose_ffmpeg_failure({"[error] Unknown encoder 'libx264'"})
              .starts_with("this ffmpeg build lacks the preset's encoder"));
    CHECK(diagnose_ffmpeg_failure({"[h264_nvenc @ 0x5555] [error] Cannot load libcuda.so.1",
                                   "[error] Error while opening encoder for output stream #0:0"})
              .starts_with("no NVIDIA driver here"));
    CHECK(diagnose_ffmpeg_failure(
              {"[error] Error writing trailer of file:out.mp4: Input/output error"})
              .starts_with("the disk reported an I/O error"));
    CHECK(diagnose_ffmpeg_failure({"[error] Error writing trailer of file:out.mp4: No space left "
                                   "on device"})
              .starts_with("the disk is full"));
    CHECK(diagnose_ffmpeg_failure({"[info] all is well", "[error] something nobody foresaw"})
              .empty());
    CHECK(diagnose_ffmpeg_failure({}).empty());
}

TEST_CASE("level tags are stripped where ffmpeg puts them, and nowhere else") {
    CHECK(LogTail::strip_level("[error] Unknown encoder 'x'") == "Unknown encoder 'x'");
    CHECK(
        LogTail::strip_level("[libx264 @ 0x5555] [error] baseline profile doesn't support 4:4:4") ==
        "[libx264 @ 0x5555] baseline profile doesn't support 4:4:4");
    CHECK(LogTail::strip_level("x264 [error]: malloc failed") == "x264 [error]: malloc failed");
    CHECK(LogTail::strip_level("a title with [error] inside") == "a title with [error] inside");

    CHECK(LogTail::is_problem("[warning] deprecated pixel format used"));
    CHECK(LogTail::is_problem("[swscaler @ 0x1] [error] bad"));
    CHECK(LogTail::is_problem("x264 [error]: malloc failed"));
    CHECK_FALSE(LogTail::is_problem("[info] Stream mapping:"));
    CHECK_FALSE(LogTail::is_problem("a title with [error] inside"));
}

TEST_CASE("the tail keeps whole lines in bounded memory and prefers problems when explaining") {
    LogTail tail(3, 16);
    std::vector<std::string> seen;
    tail.on_line([&](std::string_view line) { seen.emplace_back(line); });
    tail.feed("[info] one\n[info] tw");
    tail.feed("o\r\n\n[error] a very long line that is cut\n[info] four\n[info] five\n");
    tail.feed("[info] six and more");
    CHECK(seen.size() == 5); // the empty line between \r\n and \n is not a line
    tail.finish();
    CHECK(tail.total_lines() == 6);
    CHECK(seen.back() == "[info] six and m"); // cut at 16 bytes
    CHECK(tail.lines() ==
          std::deque<std::string>{"[info] four", "[info] five", "[info] six and m"});
    // The error has left the last three lines but is still what explains the failure.
    CHECK(tail.last_meaningful(5) == std::vector<std::string>{"a very l"});
}

TEST_CASE("without problems, the explanation skips ffmpeg's banner and stream dumps") {
    LogTail tail;
    tail.feed("[info] ffmpeg version 5.1.9 Copyright (c) 2000-2024\n"
              "[info] Input #0, rawvideo, from 'pipe:':\n"
              "[info]   Duration: N/A, start: 0.000000, bitrate: N/A\n"
              "[info] Stream mapping:\n"
              "[info] Press [q] to stop, [?] for help\n"
              "[info] Conversion failed!\n");
    CHECK(tail.last_meaningful(3) == std::vector<std::string>{"Conversion failed!"});
}

TEST_CASE("ffmpeg 7's echoes of a failure from every thread do not hide its cause") {
    // ffmpeg 7.1's stderr for `-profile:v baseline -pix_fmt yuv444p`, as framepipe reads it.
    LogTail tail;
    tail.feed("[info] Stream mapping:\n"
              "x264 [error]: baseline profile doesn't support 4:4:4\n"
              "[libx264 @ 0x1] [error] Error setting profile baseline.\n"
              "[vost#0:0/libx264 @ 0x2] [error] Error while opening encoder - maybe incorrect "
              "parameters such as bit_rate, rate, width or height.\n"
              "[vf#0:0 @ 0x3] [error] Error sending frames to consumers: Invalid argument\n"
              "[vf#0:0 @ 0x3] [error] Task finished with error code: -22 (Invalid argument)\n"
              "[vf#0:0 @ 0x3] [error] Terminating thread with return code -22 (Invalid argument)\n"
              "[vost#0:0/libx264 @ 0x2] [error] Could not open encoder before EOF\n"
              "[vost#0:0/libx264 @ 0x2] [error] Task finished with error code: -22 (Invalid "
              "argument)\n"
              "[vost#0:0/libx264 @ 0x2] [error] Terminating thread with return code -22 (Invalid "
              "argument)\n"
              "[out#0/mp4 @ 0x4] [error] Nothing was written into output file, because at least "
              "one of its streams received no packets.\n"
              "[info] Conversion failed!\n");
    tail.finish();
    CHECK(
        tail.last_meaningful(3) ==
        std::vector<std::string>{"x264 [error]: baseline profile doesn't support 4:4:4",
                                 "[libx264 @ 0x1] Error setting profile baseline.",
                                 "[vost#0:0/libx264 @ 0x2] Error while opening encoder - maybe "
                                 "incorrect parameters such as bit_rate, rate, width or height."});
    CHECK(diagnose_ffmpeg_failure(tail.last_meaningful(8)) ==
          "the encoder rejected its settings: check the preset and any options after --");
}
