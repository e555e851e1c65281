// Catch2 2.x needs CATCH_CONFIG_RUNNER before its header to leave main() to us; 3.x never
// supplies a main when linked against Catch2::Catch2 (not Catch2WithMain).
#define CATCH_CONFIG_RUNNER
#include "catch.h"
#include <csignal>

int main(int argc, char* argv[]) {
    // framepipe ignores SIGPIPE (main.cpp) so a dead ffmpeg shows up as EPIPE; tests that drive
    // the supervisor need the same disposition.
    std::signal(SIGPIPE, SIG_IGN);
    return Catch::Session().run(argc, argv);
}
