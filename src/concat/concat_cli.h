// `framepipe concat`'s command line: argv (from "concat" on) in, ConcatOptions out.
#pragma once

#include "concat/concat_options.h"

#include <optional>

namespace framepipe {

struct ConcatCliResult {
    std::optional<ConcatOptions> options; // empty when the process should exit now
    int exit_code = 0;                    // ...with this status (0 after --help)
};

// argv[0] is "concat".
ConcatCliResult parse_concat_command_line(int argc, const char* const* argv);

} // namespace framepipe
