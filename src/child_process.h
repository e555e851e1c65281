// The child-process seam. The supervisor sees only this interface, so its policies are tested
// against a scripted fake; spawn_child() is the one real implementation (Boost.Process v2).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace framepipe {

struct ExitStatus {
    bool signaled = false;
    int value = 0; // exit code, or the signal number when signaled
    bool success() const { return !signaled && value == 0; }
    std::string describe() const; // "exit status 1", "killed by signal 9 (SIGKILL)"
};

class ChildProcess {
  public:
    virtual ~ChildProcess() = default;

    // Our ends of the child's pipes, non-blocking; -1 once closed or when absent.
    virtual int stdin_fd() const = 0;
    virtual int stderr_fd() const = 0;
    virtual int progress_fd() const = 0;
    // Becomes readable when the child has exited (a pidfd for real children).
    virtual int exit_fd() const = 0;

    virtual void close_stdin() = 0;
    virtual void close_stderr() = 0;
    virtual void close_progress() = 0;
    // Reaps the child if it has exited; never blocks.
    virtual std::optional<ExitStatus> try_reap() = 0;
    virtual void send_signal(int signo) = 0;
};

struct SpawnRequest {
    std::filesystem::path executable;
    std::vector<std::string> args;         // without the program name
    std::optional<int> progress_fd_number; // make a pipe appear as this fd in the child
    bool capture_stderr = true;
    // The child's stdin: this descriptor (shared with the child, offset included), or, when -1, a
    // pipe whose write end stdin_fd() returns.
    int stdin_source = -1;
    // The child's stdout: this descriptor (a file the child writes), or, when -1, /dev/null.
    int stdout_target = -1;
    // The child's whole environment as "NAME=value" entries; empty: framepipe's own.
    std::vector<std::string> environment = {};
};

// Starts the child in its own process group (a terminal's Ctrl-C never reaches it directly), with a
// clean signal mask and default dispositions, and with no file descriptors but the pipes it is
// given. Throws Error(ffmpeg_unusable) if it cannot be started.
std::unique_ptr<ChildProcess> spawn_child(const SpawnRequest& request);

// Looks a program up on PATH unless the name holds a '/'. Empty when not found.
std::filesystem::path find_program(const std::string& name);

} // namespace framepipe
