// The command line: argv in, Options out. The only file that knows CLI11.
#pragma once

#include "options.h"

#include <optional>

namespace framepipe {

struct CliResult {
    std::optional<Options> options; // empty when the process should exit now
    int exit_code = 0;              // ...with this status (0 after --help or --version)
};

CliResult parse_command_line(int argc, const char* const* argv);

} // namespace framepipe
