// The end of a run, on the I/O side: the output's size once it is in place, and the
// --stats-json file, written for failed runs too so that CI can tell why a render stopped.
#pragma once

#include "options.h"
#include "run_stats.h"

#include <filesystem>
#include <optional>
#include <string>

namespace framepipe {

// The stats a run starts from: what the options say before anything is opened.
RunStats initial_stats(const Options& o);

// Records that the video is now at `path`, with its size.
void record_output(RunStats& stats, const std::filesystem::path& path);

// Writes --stats-json, if given and the run got as far as reading options for a video (not
// --dry-run or --list-presets), and returns the exit status to use: `exit_status`, unless the
// run succeeded and the file could not be written, which is then an output error.
int finish_run(const Options& o, RunStats& stats, int exit_status);

// Writes a --stats-json document and returns the exit status to use: `exit_status`, unless the
// run succeeded and the file could not be written, which is then an output error.
int write_stats_json(const std::string& path, const std::string& text, int exit_status);

} // namespace framepipe
