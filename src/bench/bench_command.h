// `framepipe bench`: the one entry point the subcommand dispatcher calls.
#pragma once

namespace framepipe::bench {

// argv[0] is "bench". Returns the exit status; throws framepipe::Error for main() to report.
int run_bench_command(int argc, const char* const* argv);

} // namespace framepipe::bench
