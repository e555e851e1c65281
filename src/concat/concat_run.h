// `framepipe concat`: checks that the segments fit, joins them by stream copy into a temporary
// file, verifies the result, and only then renames it into place (and, if asked, removes the
// segments). Errors a user can act on are thrown as framepipe::Error.
#pragma once

#include "concat/concat_options.h"

namespace framepipe {

int run_concat(const ConcatOptions& options);

} // namespace framepipe
