// Keeps the last lines ffmpeg wrote to stderr, in bounded memory however much it writes, so a
// failure can be explained with ffmpeg's own words.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

class LogTail {
  public:
    explicit LogTail(std::size_t max_lines = 40, std::size_t max_line_length = 1000);

    // Feeds raw bytes; complete lines are kept (and passed to the line callback).
    void feed(std::string_view bytes);
    // Treats any unterminated text as a last line (call at EOF).
    void finish();

    void on_line(std::function<void(std::string_view)> callback) {
        callback_ = std::move(callback);
    }

    const std::deque<std::string>& lines() const { return lines_; }
    std::size_t total_lines() const { return total_; }

    // The last `n` lines worth showing a user, without their "[level] " tags: ffmpeg's warnings
    // and errors when it logged any, else its last lines less the banner and stream dumps.
    std::vector<std::string> last_meaningful(std::size_t n) const;

    // "[error] x" -> "x": the tag that `-loglevel level+info` puts on each line.
    static std::string strip_level(std::string_view line);
    // A warning or worse, by that tag (or libx264's own "x264 [error]:"), less ffmpeg 7's echoes of
    // an error already reported.
    static bool is_problem(std::string_view line);

  private:
    void push(std::string line);

    std::size_t max_lines_, max_line_length_;
    std::deque<std::string> lines_;
    std::deque<std::string>
        problems_; // warnings and errors, kept apart so a flood cannot push them out
    std::string partial_;
    std::size_t total_ = 0;
    std::function<void(std::string_view)> callback_;
};

} // namespace framepipe
