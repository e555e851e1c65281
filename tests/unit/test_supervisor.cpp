// The supervisor's policies, against a scripted fake child: no ffmpeg, no real process.
#include "child_process.h"
#include "fd.h"
#include "log_tail.h"
#include "supervisor.h"

#include "catch.h"
#include <algorithm>
#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <initializer_list>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace framepipe;
using namespace std::chrono_literals;

namespace {

// A child whose "process" is a thread the test scripts. It owns the far ends of the pipes.
class FakeChild : public ChildProcess {
  public:
    // shared_input: the child reads framepipe's input file itself, so it has no stdin pipe.
    explicit FakeChild(bool shared_input = false)
        : in_(shared_input ? PipePair{} : make_pipe()), err_(make_pipe()), exit_(make_pipe()) {
        if (in_.write)
            set_nonblocking(in_.write.get());
        set_nonblocking(err_.read.get());
    }
    ~FakeChild() override {
        if (worker_.joinable())
            worker_.join();
    }

    int stdin_fd() const override { return in_.write.get(); }
    int stderr_fd() const override { return err_.read.get(); }
    int progress_fd() const override { return -1; }
    int exit_fd() const override { return reaped_ ? -1 : exit_.read.get(); }
    void close_stdin() override { in_.write.reset(); }
    void close_stderr() override { err_.read.reset(); }
    void close_progress() override {}

    std::optional<ExitStatus> try_reap() override {
        std::lock_guard lock(mutex_);
        if (!status_)
            return std::nullopt;
        reaped_ = true;
        return status_;
    }
    void send_signal(int signo) override {
        {
            std::lock_guard lock(mutex_);
            signals_.push_back(signo);
        }
        if (signo == SIGKILL || (signo == SIGINT && exits_on_sigint))
            exit_with({signo == SIGKILL, signo == SIGKILL ? SIGKILL : 255});
    }

    void exit_with(ExitStatus s) {
        {
            std::lock_guard lock(mutex_);
            if (status_)
                return;
            status_ = s;
        }
        [[maybe_unused]] auto n = ::write(exit_.write.get(), "x", 1);
    }

    // The child's side of its stdin: read everything until EOF (or `limit` bytes).
    std::uint64_t consume(std::uint64_t limit = UINT64_MAX) {
        std::vector<char> buf(65536);
        std::uint64_t total = 0;
        while (total < limit) {
            auto n = ::read(in_.read.get(), buf.data(),
                            std::min<std::uint64_t>(buf.size(), limit - total));
            if (n <= 0)
                break;
            total += static_cast<std::uint64_t>(n);
        }
        return total;
    }
    void close_child_stdin() { in_.read.reset(); }
    void write_stderr(std::string_view s) {
        while (!s.empty()) {
            auto n = ::write(err_.write.get(), s.data(), s.size());
            if (n < 0) {
                std::this_thread::sleep_for(1ms);
                continue;
            }
            s.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    void close_child_stderr() { err_.write.reset(); }

    template <typename F>
    void run(F&& f) {
        worker_ = std::thread(std::forward<F>(f));
    }
    std::vector<int> signals() {
        std::lock_guard lock(mutex_);
        return signals_;
    }

    bool exits_on_sigint = true;

  private:
    PipePair in_, err_, exit_;
    std::mutex mutex_;
    std::optional<ExitStatus> status_;
    std::vector<int> signals_;
    bool reaped_ = false;
    std::thread worker_;
};

// Signals delivered to the supervisor through a pipe, as SignalWatcher does.
struct FakeSignals {
    PipePair pipe = make_pipe();
    FakeSignals() { set_nonblocking(pipe.read.get()); }
    void raise(int s) {
        unsigned char b = static_cast<unsigned char>(s);
        [[maybe_unused]] auto n = ::write(pipe.write.get(), &b, 1);
    }
    std::function<std::optional<int>()> taker() {
        return [this]() -> std::optional<int> {
            unsigned char b;
            if (::read(pipe.read.get(), &b, 1) == 1)
                return b;
            return std::nullopt;
        };
    }
};

// The child's side of a shared input file: reads it (up to `limit` bytes), as ffmpeg would.
std::uint64_t read_shared(int fd, std::uint64_t limit = UINT64_MAX) {
    std::vector<char> buf(65536);
    std::uint64_t total = 0;
    while (total < limit) {
        auto n = ::read(fd, buf.data(), std::min<std::uint64_t>(buf.size(), limit - total));
        if (n <= 0)
            break;
        total += static_cast<std::uint64_t>(n);
        std::this_thread::sleep_for(5ms); // framepipe looks at the offset every 100 ms
    }
    return total;
}

// Input that holds `bytes` bytes and then ends.
UniqueFd input_of(std::size_t bytes) {
    char name[] = "/tmp/framepipe-sup-XXXXXX";
    int fd = ::mkstemp(name);
    ::unlink(name);
    std::vector<char> data(bytes, 'x');
    REQUIRE(::write(fd, data.data(), data.size()) == static_cast<ssize_t>(bytes));
    ::lseek(fd, 0, SEEK_SET);
    return UniqueFd(fd);
}

} // namespace

TEST_CASE("supervisor relays everything, closes ffmpeg's stdin at EOF and reaps it") {
    FakeChild child;
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(3 << 20);
    std::atomic<std::uint64_t> received{0};
    child.run([&] {
        received = child.consume();
        child.exit_with({false, 0});
    });
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail);
    auto r = s.run();
    CHECK(r.input_ended);
    CHECK(r.bytes_delivered == 3u << 20);
    CHECK(received == 3u << 20);
    CHECK(r.child.success());
    CHECK(r.interrupted_by == 0);
    CHECK_FALSE(r.child_exited_early);
    CHECK(child.stdin_fd() == -1);
}

TEST_CASE("the first signal stops reading at once, even while the producer stalls") {
    FakeChild child;
    FakeSignals sig;
    LogTail tail;
    auto stalled = make_pipe(); // a producer that never writes nor closes
    child.run([&] {
        child.consume();
        child.exit_with({false, 0}); // ffmpeg finishes the file once its input closes
    });
    sig.raise(SIGTERM);
    auto started = std::chrono::steady_clock::now();
    Supervisor s(stalled.read.get(), child, sig.pipe.read.get(), sig.taker(), tail);
    auto r = s.run();
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(r.interrupted_by == SIGTERM);
    CHECK_FALSE(r.input_ended);
    CHECK(r.child.success());
    CHECK(child.signals().empty()); // the terminal's signal is never forwarded
}

namespace {

// One SIGINT to a child that reads its input to the end and then never exits by itself (libsvtav1
// on an empty stream, a hanging hardware probe): the signals it got, once the run is over.
std::vector<int> interrupt_a_child_that_never_exits(int input_fd, SupervisorConfig config) {
    FakeChild child;
    child.exits_on_sigint = false;
    FakeSignals sig;
    LogTail tail;
    child.run([&] { child.consume(); });
    sig.raise(SIGINT);
    config.finish_timeout = 30s;
    auto started = std::chrono::steady_clock::now();
    Supervisor s(input_fd, child, sig.pipe.read.get(), sig.taker(), tail, config);
    auto r = s.run();
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(r.interrupted_by == SIGINT);
    return child.signals();
}

} // namespace

TEST_CASE("a signal with nothing to finish kills ffmpeg at once") {
    SECTION("before a whole frame arrived") {
        auto stalled = make_pipe();
        SupervisorConfig config;
        config.minimum_useful_bytes = 1000;
        CHECK(interrupt_a_child_that_never_exits(stalled.read.get(), config) ==
              std::vector<int>{SIGKILL});
    }
    SECTION("during an encoder probe, whose output is thrown away") {
        auto empty = input_of(0);
        SupervisorConfig config;
        config.disposable = true;
        CHECK(interrupt_a_child_that_never_exits(empty.get(), config) == std::vector<int>{SIGKILL});
    }
}

TEST_CASE("a child that stops reading early is reported, not waited on forever") {
    FakeChild child;
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(8 << 20);
    child.run([&] {
        child.consume(100000);
        child.write_stderr("Error while opening encoder\n");
        child.close_child_stdin(); // framepipe's next write gets EPIPE
        child.close_child_stderr();
        child.exit_with({false, 1});
    });
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail);
    auto r = s.run();
    CHECK(r.child_exited_early);
    CHECK(r.child.value == 1);
    CHECK_FALSE(r.input_ended);
    REQUIRE_FALSE(tail.lines().empty());
    CHECK(tail.lines().back() == "Error while opening encoder");
}

TEST_CASE("a wedged child after EOF gets SIGINT, then SIGKILL, and is always reaped") {
    FakeChild child;
    child.exits_on_sigint = false;
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(1000);
    child.run([&] { child.consume(); }); // reads to EOF, then never exits
    SupervisorConfig config;
    config.finish_timeout = 100ms;
    config.kill_timeout = 100ms;
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail, config);
    auto r = s.run();
    CHECK(child.signals() == std::vector<int>{SIGINT, SIGKILL});
    CHECK(r.escalation_signal == SIGKILL);
    CHECK(r.child.signaled);
    CHECK(r.input_ended);
}

TEST_CASE("signs of life keep a slow child from being stopped") {
    FakeChild child;
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(1000);
    child.run([&] {
        child.consume();
        for (int i = 0; i < 6; ++i) { // busy for 300 ms, talking every 50 ms
            child.write_stderr("still encoding\n");
            std::this_thread::sleep_for(50ms);
        }
        child.exit_with({false, 0});
    });
    SupervisorConfig config;
    config.finish_timeout = 150ms;
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail, config);
    auto r = s.run();
    CHECK(child.signals().empty());
    CHECK(r.child.success());
}

TEST_CASE("a second signal asks ffmpeg to stop, a third kills it") {
    SECTION("second") {
        FakeChild child;
        FakeSignals sig;
        LogTail tail;
        auto stalled = make_pipe();
        child.run([&] { child.consume(); }); // stuck after its input closes
        sig.raise(SIGINT);
        sig.raise(SIGINT);
        Supervisor s(stalled.read.get(), child, sig.pipe.read.get(), sig.taker(), tail);
        auto r = s.run();
        CHECK(r.signals_received == 2);
        CHECK(child.signals() == std::vector<int>{SIGINT});
        CHECK(r.escalation_signal == SIGINT);
        CHECK(r.child.value == 255);
    }
    SECTION("third") {
        FakeChild child;
        child.exits_on_sigint = false;
        FakeSignals sig;
        LogTail tail;
        auto stalled = make_pipe();
        child.run([&] { child.consume(); });
        sig.raise(SIGINT);
        sig.raise(SIGINT);
        sig.raise(SIGINT);
        Supervisor s(stalled.read.get(), child, sig.pipe.read.get(), sig.taker(), tail);
        auto r = s.run();
        CHECK(child.signals() == std::vector<int>{SIGINT, SIGKILL});
        CHECK(r.escalation_signal == SIGKILL);
    }
}

TEST_CASE("no input is relayed before the banner check, and a refused child is killed") {
    FakeChild child;
    child.exits_on_sigint = false;
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(1 << 20);
    std::atomic<std::uint64_t> received{0};
    child.run([&] {
        child.write_stderr("ffmpeg version 3.4.8 Copyright\n");
        received = child.consume();
    });
    SupervisorConfig config;
    config.banner_timeout = 5s;
    config.check_banner = [](std::string_view line) -> std::optional<std::string> {
        if (line.starts_with("ffmpeg version 3."))
            return "too old";
        return std::nullopt;
    };
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail, config);
    auto r = s.run();
    CHECK(r.refused == "too old");
    CHECK(r.bytes_delivered == 0);
    CHECK(received == 0);
    CHECK(child.signals() == std::vector<int>{SIGKILL});
}

TEST_CASE("a child that exits without a banner is refused, not taken for a successful ffmpeg") {
    FakeChild child;
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(1 << 20);
    child.run([&] {
        child.close_child_stderr();
        child.exit_with({false, 0}); // /bin/true as --ffmpeg
    });
    SupervisorConfig config;
    config.banner_timeout = 5s;
    config.check_banner = [](std::string_view) -> std::optional<std::string> { return {}; };
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail, config);
    auto r = s.run();
    CHECK(r.banner_missing);
    CHECK(r.refused == "it exited without printing a version banner (exit status 0)");
    CHECK(r.bytes_delivered == 0);
}

TEST_CASE("a flood on stderr is drained while relaying, in bounded memory") {
    FakeChild child;
    FakeSignals sig;
    LogTail tail(40);
    auto input = input_of(4 << 20);
    child.run([&] {
        std::string line(199, 'x');
        line += '\n';
        for (int i = 0; i < 50000; ++i) // 10 MB, far beyond any pipe buffer
            child.write_stderr(line);
        child.consume();
        child.close_child_stderr();
        child.exit_with({false, 0});
    });
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail);
    auto r = s.run();
    CHECK(r.child.success());
    CHECK(r.bytes_delivered == 4u << 20);
    CHECK(tail.total_lines() == 50000);
    CHECK(tail.lines().size() == 40);
}

TEST_CASE("a child reading a shared file is followed through the file offset to the end") {
    FakeChild child(true);
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(3 << 20);
    REQUIRE(::lseek(input.get(), 1000, SEEK_SET) == 1000); // stdin may have been read from
    const std::uint64_t bytes = (3u << 20) - 1000;
    child.run([&] {
        read_shared(input.get());
        child.exit_with({false, 0});
    });
    SupervisorConfig config;
    config.shared_input = SupervisorConfig::SharedInput{1000, bytes};
    std::vector<std::uint64_t> seen;
    SupervisorEvents events;
    events.on_input = [&](std::uint64_t n) { seen.push_back(n); };
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail, config, events);
    auto r = s.run();
    CHECK(r.input_ended);
    CHECK_FALSE(r.child_exited_early);
    CHECK(r.bytes_delivered == bytes);
    CHECK(r.child.success());
    CHECK(child.signals().empty());
    REQUIRE(seen.size() >= 2); // progress while it read, not only at the end
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(seen.back() == bytes);
}

TEST_CASE("a child that stops reading a shared file early is reported") {
    FakeChild child(true);
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(1 << 20);
    child.run([&] {
        read_shared(input.get(), 100000);
        child.exit_with({false, 0});
    });
    SupervisorConfig config;
    config.shared_input = SupervisorConfig::SharedInput{0, 1 << 20};
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail, config);
    auto r = s.run();
    CHECK(r.child_exited_early);
    CHECK_FALSE(r.input_ended);
    CHECK(r.bytes_delivered == 100000);
}

// A 1 MiB file shared with `child`, which reads none of it; `signals` arrive at the start.
SupervisorResult run_shared(FakeChild& child, std::initializer_list<int> signals,
                            SupervisorConfig config = {}) {
    FakeSignals sig;
    LogTail tail;
    auto input = input_of(1 << 20);
    for (int s : signals)
        sig.raise(s);
    config.shared_input = SupervisorConfig::SharedInput{0, 1 << 20};
    Supervisor s(input.get(), child, sig.pipe.read.get(), sig.taker(), tail, config);
    return s.run();
}

TEST_CASE("with a shared file, the first signal is one SIGINT to the child, never a second") {
    SECTION("the child finishes the file and exits 255, as ffmpeg does") {
        FakeChild child(true);
        auto r = run_shared(child, {SIGINT});
        CHECK(r.interrupted_by == SIGINT);
        CHECK(r.asked_to_finish);
        CHECK(child.signals() == std::vector<int>{SIGINT});
        CHECK(r.child.value == 255);
        CHECK_FALSE(r.child_exited_early);
    }
    SECTION("a second signal adds nothing, a third kills") {
        FakeChild child(true);
        child.exits_on_sigint = false;
        auto r = run_shared(child, {SIGINT, SIGINT, SIGINT});
        CHECK(r.signals_received == 3);
        CHECK(child.signals() == std::vector<int>{SIGINT, SIGKILL});
    }
    SECTION("a child that stays silent after it is asked is killed, not signalled again") {
        FakeChild child(true);
        child.exits_on_sigint = false;
        SupervisorConfig config;
        config.finish_timeout = 100ms;
        auto r = run_shared(child, {SIGTERM}, config);
        CHECK(child.signals() == std::vector<int>{SIGINT, SIGKILL});
        CHECK(r.escalation_signal == SIGKILL);
    }
}
