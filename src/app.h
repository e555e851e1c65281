// The core entry point: runs one framepipe invocation described by Options and returns the exit
// status. Errors a user can act on are thrown as framepipe::Error.
#pragma once

#include "options.h"

namespace framepipe {

int run(const Options& options);

} // namespace framepipe
