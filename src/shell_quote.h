// POSIX shell quoting, so that --dry-run prints a command a user can paste and get exactly the
// argv framepipe would have run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

std::string shell_quote(std::string_view word);
std::string shell_join(const std::vector<std::string>& words);

} // namespace framepipe
