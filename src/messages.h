// framepipe's voice on stderr: every line starts "framepipe: " so it stands out from ffmpeg's
// and the producer's output in a shared terminal or CI log.
#pragma once

#include <functional>
#include <string>

namespace framepipe {

// A self-updating status line (progress_reporter.h) registers how to erase itself, so every
// message starts on a clean line of its own; an empty function unregisters it.
void set_status_line_eraser(std::function<void()> erase);

void print_error(const std::string& message);
void print_warning(const std::string& message);
void print_note(const std::string& message);

} // namespace framepipe
