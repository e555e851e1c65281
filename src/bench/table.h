// The bake-off table on stdout: one aligned row per preset, the best value of each column in bold
// when stdout is a terminal.
#pragma once

#include "bench/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace framepipe::bench {

std::string format_fixed(double value, int decimals); // "inf" for infinity
std::string format_mb(double bytes);                  // "8.94 MB" (decimal megabytes)
std::string format_general(double value);             // "0.99999", "1": as the user wrote it

struct TableStyle {
    bool bold = false;          // mark each column's best value with ANSI bold (a terminal)
    bool vmaf = false;          // VMAF columns (this ffmpeg has libvmaf)
    std::uint64_t captured = 0; // frames captured: rows measured on fewer are marked "*"
};

// Rows of cells, header first; unavailable and failed presets say why in their last cell.
std::vector<std::vector<std::string>> table_cells(const std::vector<PresetResult>& results,
                                                  const TableStyle& style);

// Aligned text.
std::string format_table(const std::vector<PresetResult>& results, const TableStyle& style);

// The lines under the table: what "*" means, and that there is no VMAF column and why.
std::string table_notes(const std::vector<PresetResult>& results, const TableStyle& style);

} // namespace framepipe::bench
