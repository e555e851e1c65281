// The real process layer (spawn_child) against the fake ffmpeg built by CMake.
#include "child_process.h"
#include "error.h"
#include "fd.h"
#include "log_tail.h"
#include "supervisor.h"
#include "test_support.h"

#include "catch.h"
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace framepipe;
using framepipe::testing::ScopedEnv;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> read_report(const std::string& path) {
    std::map<std::string, std::string> out;
    std::ifstream in(path);
    std::string key, value;
    while (in >> key) {
        std::getline(in, value);
        out[key] = value.empty() ? "" : value.substr(1);
    }
    return out;
}

SupervisorResult supervise(ChildProcess& child, int input_fd, LogTail& tail,
                           SupervisorConfig config = {}) {
    auto sig = make_pipe();
    set_nonblocking(sig.read.get());
    Supervisor s(
        input_fd, child, sig.read.get(), [] { return std::optional<int>(); }, tail, config);
    return s.run();
}

} // namespace

TEST_CASE("the child gets its own process group, a clean signal mask and only the fds it needs") {
    std::string report = "/tmp/framepipe-fake-report-" + std::to_string(::getpid());
    ScopedEnv env;
    env.set("FAKE_REPORT", report);
    // Conditions a careless parent would pass on: a blocked signal, an ignored SIGPIPE, and an fd
    // without close-on-exec.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    UniqueFd leaky(::open("/dev/null", O_RDONLY));
    UniqueFd empty(::open("/dev/null", O_RDONLY | O_CLOEXEC));

    auto child = spawn_child({FAKE_FFMPEG, {"file:/dev/null"}, 3, true});
    LogTail tail;
    auto r = supervise(*child, empty.get(), tail);
    sigprocmask(SIG_SETMASK, &old, nullptr);

    CHECK(r.child.success());
    auto rep = read_report(report);
    ::unlink(report.c_str());
    CHECK(rep["pgid_is_pid"] == "1");
    CHECK(rep["parents_session"] == "1"); // the caller's scheduling autogroup, and its nice
    CHECK(rep["blocked_signals"] == "0");
    CHECK(rep["sigpipe_default"] == "1");
    CHECK(rep["fds"] == "0,1,2,3");
}

TEST_CASE("a child's exit status and death by signal are told apart") {
    UniqueFd empty(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    LogTail tail;
    {
        ScopedEnv env;
        env.set("FAKE_EXIT_CODE", "3");
        auto child = spawn_child({FAKE_FFMPEG, {}, std::nullopt, true});
        auto r = supervise(*child, empty.get(), tail);
        CHECK_FALSE(r.child.signaled);
        CHECK(r.child.value == 3);
        CHECK(r.child.describe() == "exit status 3");
    }
    {
        ScopedEnv env;
        env.set("FAKE_EXIT_AFTER_BYTES", "0");
        env.set("FAKE_KILL_SELF", "9");
        auto child = spawn_child({FAKE_FFMPEG, {}, std::nullopt, true});
        auto r = supervise(*child, empty.get(), tail);
        CHECK(r.child.signaled);
        CHECK(r.child.value == SIGKILL);
        CHECK(r.child.describe() == "killed by signal 9 (SIGKILL)");
    }
}

TEST_CASE("a real child that ignores SIGINT after its input ends is killed and reaped") {
    ScopedEnv env;
    env.set("FAKE_IGNORE_SIGNALS", "1");
    env.set("FAKE_HANG_AFTER_EOF", "60");
    UniqueFd empty(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    auto child = spawn_child({FAKE_FFMPEG, {}, std::nullopt, true});
    LogTail tail;
    SupervisorConfig config;
    config.finish_timeout = 200ms;
    config.kill_timeout = 200ms;
    auto started = std::chrono::steady_clock::now();
    auto r = supervise(*child, empty.get(), tail, config);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(r.escalation_signal == SIGKILL);
    CHECK(r.child.signaled);
    CHECK(r.child.value == SIGKILL);
}

TEST_CASE("bytes relayed to a real child arrive intact and are counted") {
    ScopedEnv env;
    std::string report = "/tmp/framepipe-fake-count-" + std::to_string(::getpid());
    env.set("FAKE_REPORT", report);
    char name[] = "/tmp/framepipe-input-XXXXXX";
    UniqueFd input(::mkstemp(name));
    ::unlink(name);
    std::vector<char> data(5'000'000, 'a');
    REQUIRE(::write(input.get(), data.data(), data.size()) == 5'000'000);
    ::lseek(input.get(), 0, SEEK_SET);
    auto child = spawn_child({FAKE_FFMPEG, {}, std::nullopt, true});
    LogTail tail;
    auto r = supervise(*child, input.get(), tail);
    CHECK(r.bytes_delivered == 5'000'000);
    CHECK(read_report(report)["bytes"] == "5000000");
    ::unlink(report.c_str());
}

TEST_CASE("a program that cannot be started is an ffmpeg_unusable error") {
    try {
        spawn_child({"/nonexistent/ffmpeg", {}, std::nullopt, true});
        FAIL("spawned a missing program");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::ffmpeg_unusable);
        CHECK_THAT(e.what(), Catch::StartsWith("cannot run '/nonexistent/ffmpeg': "));
    }
}

TEST_CASE("a child given framepipe's input file reads it through the shared offset") {
    std::string report = "/tmp/framepipe-fake-report-shared-" + std::to_string(::getpid());
    ScopedEnv env;
    env.set("FAKE_REPORT", report);
    char name[] = "/tmp/framepipe-shared-XXXXXX";
    UniqueFd file(::mkstemp(name));
    ::unlink(name);
    std::vector<char> data(300000, 'x');
    REQUIRE(::write(file.get(), data.data(), data.size()) == 300000);
    REQUIRE(::lseek(file.get(), 1000, SEEK_SET) == 1000);

    SpawnRequest request{FAKE_FFMPEG, {"file:/dev/null"}, std::nullopt, true};
    request.stdin_source = file.get();
    auto child = spawn_child(request);
    CHECK(child->stdin_fd() == -1); // no pipe: nothing to relay
    LogTail tail;
    SupervisorConfig config;
    config.shared_input = SupervisorConfig::SharedInput{1000, 299000};
    auto r = supervise(*child, file.get(), tail, config);

    CHECK(r.child.success());
    CHECK(r.input_ended);
    CHECK(r.bytes_delivered == 299000);
    CHECK(::lseek(file.get(), 0, SEEK_CUR) == 300000); // the child moved framepipe's offset
    auto rep = read_report(report);
    ::unlink(report.c_str());
    CHECK(rep["bytes"] == "299000");
}
