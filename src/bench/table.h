// The bake-off table on stdout: one aligned row per preset, the best value of each column in bold
// when stdout is a terminal.
#pragma once

#include "bench/result.h"

#include <string>
#include <vector>

namespace framepipe::bench {

std::string format_fixed(double value, int decimals); // "inf" for infinity
std::string format_mb(double bytes);                  // "8.94 MB" (decimal megabytes)
std::string format_general(double value);             // "0.99999", "1": as the user wrote it

// Rows of cells, header first; unavailable and failed presets say why in their last cell.
std::vector<std::vector<std::string>> table_cells(const std::vector<PresetResult>& results);

// Aligned text; `bold` marks each column's best value with ANSI bold.
std::string format_table(const std::vector<PresetResult>& results, bool bold);

} // namespace framepipe::bench
