#include "child_process.h"

#include "error.h"
#include "fd.h"

#include <boost/asio/io_context.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/process.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace framepipe {

namespace bp = boost::process::v2;

std::string ExitStatus::describe() const {
    if (!signaled)
        return "exit status " + std::to_string(value);
    const char* abbrev = sigabbrev_np(value);
    return "killed by signal " + std::to_string(value) +
           (abbrev ? std::string(" (SIG") + abbrev + ")" : "");
}

namespace {

// Runs in the forked child between fork and exec, so it may only make async-signal-safe calls.
struct ChildSetup {
    struct Mapping {
        int source;
        int target;
    };
    Mapping maps[4];
    int count = 0;
    const char* const* env = nullptr; // null: the parent's

    template <typename Launcher>
    bp::error_code on_setup(Launcher& launcher, const bp::filesystem::path&, const char* const*&) {
        if (env)
            launcher.env = env;
        for (int i = 0; i < count; ++i)
            if (maps[i].target > STDERR_FILENO)
                launcher.fd_whitelist.push_back(maps[i].target);
        return {};
    }

    template <typename Launcher>
    bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
        // Its own process group: a terminal's Ctrl-C (and a shell's or CI runner's kill of the
        // job) reaches framepipe's group only, so ffmpeg never receives that signal on top of
        // the orderly stop framepipe performs (two signals abort ffmpeg's trailer write and leave
        // an unplayable mp4). Not a session of its own: with the kernel's autogroup scheduler a
        // new session is a new scheduling group, which under load gives ffmpeg a share apart
        // from the caller's and ignores `nice framepipe` (docs/performance.md). ffmpeg never
        // touches the terminal (-nostdin, its output goes to pipes), so a background group is
        // never stopped by SIGTTIN/SIGTTOU.
        if (::setpgid(0, 0) < 0)
            return {errno, bp::system_category()};
        // Blocked and ignored signals survive exec; ffmpeg must see them as a fresh process does.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int s = 1; s < NSIG; ++s)
            if (s != SIGKILL && s != SIGSTOP)
                ::signal(s, SIG_DFL);
        // Move every source out of the way before placing it, so a source that happens to sit on
        // another mapping's target is not overwritten.
        int moved[4];
        for (int i = 0; i < count; ++i) {
            moved[i] = ::fcntl(maps[i].source, F_DUPFD_CLOEXEC, 16);
            if (moved[i] < 0)
                return {errno, bp::system_category()};
        }
        int highest = STDERR_FILENO;
        for (int i = 0; i < count; ++i) {
            if (::dup2(moved[i], maps[i].target) < 0)
                return {errno, bp::system_category()};
            highest = std::max(highest, maps[i].target);
        }
        // Boost 1.81's own close-other-fds step skips the gaps between whitelisted descriptors;
        // marking everything above ours close-on-exec makes sure ffmpeg inherits nothing else
        // (not framepipe's input, nor another child's pipe, which would hide that child's EOF).
        if (::syscall(SYS_close_range, highest + 1, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            long max_fd = ::sysconf(_SC_OPEN_MAX);
            for (long fd = highest + 1; fd < std::min(max_fd, 65536L); ++fd)
                ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
        }
        return {};
    }
};

class BoostChild final : public ChildProcess {
  public:
    BoostChild(std::unique_ptr<boost::asio::io_context> ctx, bp::process proc, UniqueFd in,
               UniqueFd err, UniqueFd progress)
        : ctx_(std::move(ctx)), proc_(std::move(proc)), stdin_(std::move(in)),
          stderr_(std::move(err)), progress_(std::move(progress)),
          // Boost 1.81's own pidfd accessor does not compile; open one ourselves so the exit is
          // just another readable descriptor in the supervisor's poll set.
          pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, proc_.id(), 0))),
          reads_shared_input_(!stdin_) {}

    ~BoostChild() override {
        // Only reached unreaped on an error path. Closing stdin lets ffmpeg finish the file on its
        // own; killing it outright (what Boost's destructor does) would leave no index in an mp4.
        if (!reaped_) {
            stdin_.reset();
            // Reading a shared file, it has no pipe to see close: ask it to finish instead.
            if (reads_shared_input_)
                send_signal(SIGINT);
            for (int i = 0; i < 100 && !try_reap(); ++i)
                ::usleep(50'000);
            if (!reaped_) {
                send_signal(SIGKILL);
                int status = 0;
                ::waitpid(proc_.id(), &status, 0);
            }
        }
        proc_.detach();
    }

    int stdin_fd() const override { return stdin_.get(); }
    int stderr_fd() const override { return stderr_.get(); }
    int progress_fd() const override { return progress_.get(); }
    int exit_fd() const override { return reaped_ ? -1 : pidfd_.get(); }
    void close_stdin() override { stdin_.reset(); }
    void close_stderr() override { stderr_.reset(); }
    void close_progress() override { progress_.reset(); }

    std::optional<ExitStatus> try_reap() override {
        if (reaped_)
            return status_;
        int raw = 0;
        pid_t r = ::waitpid(proc_.id(), &raw, WNOHANG);
        if (r == 0 || (r < 0 && errno == EINTR))
            return std::nullopt;
        reaped_ = true;
        if (r < 0)
            status_ = ExitStatus{false, 255};
        else if (WIFSIGNALED(raw))
            status_ = ExitStatus{true, WTERMSIG(raw)};
        else
            status_ = ExitStatus{false, WEXITSTATUS(raw)};
        return status_;
    }

    void send_signal(int signo) override {
        if (!reaped_)
            ::kill(proc_.id(), signo);
    }

  private:
    std::unique_ptr<boost::asio::io_context> ctx_;
    bp::process proc_;
    UniqueFd stdin_, stderr_, progress_, pidfd_;
    bool reaped_ = false;
    bool reads_shared_input_;
    ExitStatus status_;
};

} // namespace

std::filesystem::path find_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return name;
    try {
        auto found = bp::environment::find_executable(name);
        return std::filesystem::path(found.string());
    } catch (const std::exception&) {
        return {};
    }
}

std::unique_ptr<ChildProcess> spawn_child(const SpawnRequest& request) {
    PipePair in;
    if (request.stdin_source < 0) {
        in = make_pipe();
        // A bigger pipe halves the number of wake-ups per frame and lets framepipe run ahead of
        // ffmpeg by a few frames; the kernel may refuse (per-user pipe quota): that costs speed.
        ::fcntl(in.write.get(), F_SETPIPE_SZ, 1 << 20);
    }
    PipePair err;
    if (request.capture_stderr)
        err = make_pipe();
    PipePair progress;
    if (request.progress_fd_number)
        progress = make_pipe();
    UniqueFd devnull(::open("/dev/null", O_WRONLY | O_CLOEXEC));

    ChildSetup setup;
    setup.maps[setup.count++] = {request.stdin_source < 0 ? in.read.get() : request.stdin_source,
                                 STDIN_FILENO};
    setup.maps[setup.count++] = {request.stdout_target < 0 ? devnull.get() : request.stdout_target,
                                 STDOUT_FILENO};
    if (request.capture_stderr)
        setup.maps[setup.count++] = {err.write.get(), STDERR_FILENO};
    if (request.progress_fd_number)
        setup.maps[setup.count++] = {progress.write.get(), *request.progress_fd_number};

    std::vector<const char*> env;
    for (const auto& entry : request.environment)
        env.push_back(entry.c_str());
    env.push_back(nullptr);
    if (!request.environment.empty())
        setup.env = env.data();

    auto ctx = std::make_unique<boost::asio::io_context>();
    bp::error_code ec;
    // The executor overload: in Boost 1.81 the execution-context overload drops `ec` and throws.
    bp::process proc = bp::default_process_launcher()(
        ctx->get_executor(), ec, request.executable.string(), request.args, setup);
    if (ec)
        throw Error(ExitCode::ffmpeg_unusable,
                    "cannot run '" + request.executable.string() + "': " + ec.message() +
                        "; check the path, or install ffmpeg (apt-get install ffmpeg)");
    if (in.write)
        set_nonblocking(in.write.get());
    if (request.capture_stderr)
        set_nonblocking(err.read.get());
    if (request.progress_fd_number)
        set_nonblocking(progress.read.get());
    return std::make_unique<BoostChild>(std::move(ctx), std::move(proc), std::move(in.write),
                                        std::move(err.read), std::move(progress.read));
}

} // namespace framepipe
