// Opening the frame source: stdin, a regular file, or a named pipe.
#pragma once

#include "fd.h"

#include <string>

namespace framepipe {

struct InputSource {
    UniqueFd owned;    // set when framepipe opened the input itself
    int fd = -1;       // what to read from
    std::string label; // "stdin" or the path, for messages
    bool is_fifo = false;
};

// "-" is stdin. A FIFO is opened without waiting for its writer, so a run whose producer never
// comes can still be interrupted. Throws Error(input) with the path and the reason.
InputSource open_input(const std::string& path);

} // namespace framepipe
