// Wires the command line to the core; the one place exceptions are turned into exit codes.
#include "app.h"
#include "bench/bench_command.h"
#include "cli.h"
#include "error.h"
#include "messages.h"

#include <csignal>
#include <exception>
#include <string_view>

int main(int argc, char** argv) {
    using namespace framepipe;
    // For the whole run, not only while ffmpeg runs: a dead ffmpeg must show up as EPIPE, and a
    // closed stderr (`framepipe ... 2>&1 | head`) must not kill framepipe between creating the
    // temporary file and removing or renaming it. ffmpeg gets the default back (child_process.cpp).
    std::signal(SIGPIPE, SIG_IGN);
    try {
        if (argc > 1 && std::string_view(argv[1]) == "bench")
            return bench::run_bench_command(argc - 1, argv + 1);
        auto cli = parse_command_line(argc, argv);
        if (!cli.options)
            return cli.exit_code;
        return run(*cli.options);
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
