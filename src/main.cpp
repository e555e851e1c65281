// Wires the command line to the core; the one place exceptions are turned into exit codes.
#include "app.h"
#include "bench/bench_command.h"
#include "cli.h"
#include "concat/concat_cli.h"
#include "concat/concat_run.h"
#include "error.h"
#include "messages.h"

#include <csignal>
#include <exception>
#include <string_view>

namespace {

using namespace framepipe;

int main_command(int argc, const char* const* argv) {
    auto cli = parse_command_line(argc, argv);
    if (!cli.options)
        return cli.exit_code;
    return run(*cli.options);
}

int concat_command(int argc, const char* const* argv) {
    auto cli = parse_concat_command_line(argc, argv);
    if (!cli.options)
        return cli.exit_code;
    return run_concat(*cli.options);
}

// Subcommands, chosen by the first argument exactly. Anything else is the main command, so
// `framepipe [OPTIONS] OUTPUT` is unchanged; an output file named like a subcommand is given as
// `-o NAME` or `./NAME`. Each gets argv from its own name on.
struct Subcommand {
    std::string_view name;
    int (*run)(int argc, const char* const* argv);
};
constexpr Subcommand kSubcommands[] = {
    {"bench", bench::run_bench_command},
    {"concat", concat_command},
};

int dispatch(int argc, const char* const* argv) {
    if (argc > 1)
        for (const auto& sub : kSubcommands)
            if (argv[1] == sub.name)
                return sub.run(argc - 1, argv + 1);
    return main_command(argc, argv);
}

} // namespace

int main(int argc, char** argv) {
    // For the whole run, not only while ffmpeg runs: a dead ffmpeg must show up as EPIPE, and a
    // closed stderr (`framepipe ... 2>&1 | head`) must not kill framepipe between creating the
    // temporary file and removing or renaming it. ffmpeg gets the default back (child_process.cpp).
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return dispatch(argc, argv);
    } catch (const Error& e) {
        print_error(e.what());
        return to_int(e.code());
    } catch (const std::bad_alloc&) {
        print_error("out of memory");
        return to_int(ExitCode::internal);
    } catch (const std::exception& e) {
        print_error(
            std::string("internal error: ") + e.what() +
            " (this is a bug in framepipe: please report it with the command line you used)");
        return to_int(ExitCode::internal);
    }
}
