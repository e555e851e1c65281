#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <csignal>

int main(int argc, char* argv[]) {
    // framepipe ignores SIGPIPE (main.cpp) so a dead ffmpeg shows up as EPIPE; tests that drive
    // the supervisor need the same disposition.
    std::signal(SIGPIPE, SIG_IGN);
    return Catch::Session().run(argc, argv);
}
