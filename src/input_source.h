// Opening the frame source: stdin, a regular file, or a named pipe.
#pragma once

#include "fd.h"

#include <cstdint>
#include <string>

namespace framepipe {

struct InputSource {
    UniqueFd owned;    // set when framepipe opened the input itself
    int fd = -1;       // what to read from
    std::string label; // "stdin" or the path, for messages
    bool is_fifo = false;
    // A regular file (or stdin redirected from one): ffmpeg can read it itself, through the same
    // open file, while framepipe follows its progress from the shared file offset.
    bool is_regular = false;
    std::uint64_t start_offset = 0; // where reading starts (stdin may have been read from)
    std::uint64_t bytes_left = 0;   // from start_offset to the end, when it was opened
};

// The whole frames a regular input file holds from where reading starts; 0 for anything else.
inline std::uint64_t whole_frames_in_file(const InputSource& in, std::uint64_t frame_bytes) {
    return in.is_regular && frame_bytes > 0 ? in.bytes_left / frame_bytes : 0;
}

// "-" is stdin. A FIFO is opened without waiting for its writer, so a run whose producer never
// comes can still be interrupted. Throws Error(input) with the path and the reason.
InputSource open_input(const std::string& path);

} // namespace framepipe
