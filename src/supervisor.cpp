#include "supervisor.h"

#include "fd.h"
#include "relay.h"
#include "signals.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace framepipe {

namespace {

using Clock = std::chrono::steady_clock;

enum class ReadOutcome { data, drained, closed };

// Reads what is available now, up to a bound per call so one chatty pipe cannot starve the rest.
ReadOutcome drain_some(int fd, LogTail& sink) {
    std::array<char, 65536> buf;
    for (int i = 0; i < 4; ++i) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n > 0) {
            sink.feed(std::string_view(buf.data(), static_cast<std::size_t>(n)));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return ReadOutcome::drained;
        sink.finish();
        return ReadOutcome::closed;
    }
    return ReadOutcome::data;
}

} // namespace

Supervisor::Supervisor(int input_fd, ChildProcess& child, int signal_fd,
                       std::function<std::optional<int>()> take_signal, LogTail& stderr_tail,
                       SupervisorConfig config, SupervisorEvents events)
    : input_fd_(input_fd), child_(child), signal_fd_(signal_fd),
      take_signal_(std::move(take_signal)), tail_(stderr_tail), config_(std::move(config)),
      events_(std::move(events)) {}

SupervisorResult Supervisor::run() {
    SupervisorResult r;
    Relay own_relay(input_fd_, config_.chunk_bytes);
    Feeder& relay = config_.feeder ? *config_.feeder : own_relay;
    std::uint64_t reported = 0;
    LogTail progress(8);
    if (events_.on_progress_line)
        progress.on_line(events_.on_progress_line);

    const auto start = Clock::now();
    auto now = start;
    bool banner_pending = config_.banner_timeout.count() > 0 && config_.check_banner != nullptr;
    const auto banner_deadline = start + config_.banner_timeout;
    bool reading = true;
    bool output_writable = true;
    bool reaped = false;
    std::optional<Clock::time_point> finish_deadline, kill_deadline;
    const auto& shared = config_.shared_input;
    std::uint64_t shared_read = 0;
    // How far ffmpeg has read the shared file; the offset moves under framepipe's feet.
    auto follow_shared_input = [&] {
        off_t at = ::lseek(input_fd_, 0, SEEK_CUR);
        if (at < 0 || static_cast<std::uint64_t>(at) <= shared->start_offset + shared_read)
            return;
        shared_read = static_cast<std::uint64_t>(at) - shared->start_offset;
        if (events_.on_input)
            events_.on_input(shared_read);
    };
    auto delivered = [&] { return shared ? shared_read : relay.bytes_delivered(); };

    auto stop_input = [&] {
        if (!reading)
            return;
        reading = false;
        child_.close_stdin();
        finish_deadline = now + config_.finish_timeout;
    };
    auto sign_of_life = [&] {
        if (finish_deadline && !kill_deadline)
            finish_deadline = now + config_.finish_timeout;
    };
    auto escalate = [&](int signo) {
        r.escalation_signal = signo;
        r.asked_to_finish = r.asked_to_finish || signo == SIGINT;
        child_.send_signal(signo);
        kill_deadline = signo == SIGKILL ? Clock::time_point::max() : now + config_.kill_timeout;
    };
    // ffmpeg reading a file itself stops early only when asked; this is the same request as
    // closing its pipe, so it gets the same patience (finish_timeout, renewed by signs of life).
    auto ask_to_finish = [&] {
        r.asked_to_finish = true;
        child_.send_signal(SIGINT);
    };
    auto refuse = [&](std::string why) {
        r.refused = std::move(why);
        banner_pending = false;
        stop_input();
        escalate(SIGKILL);
    };

    tail_.on_line([&](std::string_view line) {
        if (banner_pending) {
            banner_pending = false;
            if (auto why = config_.check_banner(line))
                refuse(*why);
        }
        if (events_.on_stderr_line)
            events_.on_stderr_line(line);
    });

    while (!reaped) {
        std::array<pollfd, 7> fds{};
        nfds_t count = 0;
        auto add = [&](int fd, short events) -> int {
            if (fd < 0)
                return -1;
            fds[count] = {fd, events, 0};
            return static_cast<int>(count++);
        };
        int sig_i = add(signal_fd_, POLLIN);
        int err_i = add(child_.stderr_fd(), POLLIN);
        int prog_i = add(child_.progress_fd(), POLLIN);
        int exit_i = add(child_.exit_fd(), POLLIN);
        int in_i = -1, out_i = -1, wake_i = -1;
        bool relaying = reading && !banner_pending && !shared;
        if (relaying) {
            const auto wants = relay.wants(output_writable);
            if (wants.input)
                in_i = add(input_fd_, POLLIN);
            if (wants.output)
                out_i = add(child_.stdin_fd(), POLLOUT);
            wake_i = add(wants.wake_fd, POLLIN);
        }

        auto wake = now + std::chrono::milliseconds(100);
        if (banner_pending)
            wake = std::min(wake, banner_deadline);
        if (finish_deadline && !kill_deadline)
            wake = std::min(wake, *finish_deadline);
        if (kill_deadline)
            wake = std::min(wake, *kill_deadline);
        auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
        int ready =
            ::poll(fds.data(), count, static_cast<int>(std::max<long long>(timeout, 0) + 1));
        auto before = now;
        now = Clock::now();
        auto waited = std::chrono::duration<double>(now - before).count();
        if (out_i >= 0)
            r.seconds_waiting_for_ffmpeg += waited;
        else if (in_i >= 0)
            r.seconds_waiting_for_input += waited;
        if (ready < 0 && errno != EINTR)
            break;

        auto fired = [&](int i, short mask) {
            return i >= 0 && ready > 0 && (fds[i].revents & mask) != 0;
        };

        if (fired(sig_i, POLLIN)) {
            while (auto s = take_signal_()) {
                ++r.signals_received;
                if (r.signals_received == 1) {
                    r.interrupted_by = *s;
                    if (config_.disposable || delivered() < config_.minimum_useful_bytes) {
                        stop_input();
                        escalate(SIGKILL);
                        continue;
                    }
                    if (shared && reading)
                        ask_to_finish();
                    stop_input();
                } else if (r.signals_received == 2) {
                    // ffmpeg stops encoding what it buffered and writes the trailer. It never gets
                    // a second SIGINT: that one would abort the trailer write.
                    if (!r.asked_to_finish)
                        escalate(SIGINT);
                } else {
                    escalate(SIGKILL);
                }
            }
        }
        if (fired(err_i, POLLIN | POLLHUP | POLLERR)) {
            if (drain_some(child_.stderr_fd(), tail_) == ReadOutcome::closed)
                child_.close_stderr();
            sign_of_life();
        }
        if (fired(prog_i, POLLIN | POLLHUP | POLLERR)) {
            if (drain_some(child_.progress_fd(), progress) == ReadOutcome::closed)
                child_.close_progress();
            sign_of_life();
        }
        if (shared && reading) {
            follow_shared_input();
            if (shared_read >= shared->bytes) {
                r.input_ended = true;
                stop_input();
            }
        }
        const Feeder::Ready feed{fired(in_i, POLLIN | POLLHUP | POLLERR),
                                 fired(out_i, POLLOUT | POLLERR | POLLHUP), fired(wake_i, POLLIN)};
        if (feed.output)
            output_writable = true;
        if ((feed.input || feed.output || feed.woken) && reading) {
            const auto result = relay.transfer(child_.stdin_fd(), feed);
            if (const auto delivered_now = relay.frames_counted().value_or(relay.bytes_delivered());
                delivered_now != reported) {
                reported = delivered_now;
                if (events_.on_input)
                    events_.on_input(reported);
            }
            switch (result) {
            case Relay::Result::moved:
                break;
            case Relay::Result::output_full:
                output_writable = false;
                break;
            case Relay::Result::input_empty:
                break;
            case Relay::Result::input_ended:
                r.input_ended = true;
                stop_input();
                if (relay.bytes_delivered() < config_.minimum_useful_bytes)
                    escalate(SIGKILL);
                break;
            case Relay::Result::output_closed:
                r.child_exited_early = true;
                stop_input();
                break;
            case Relay::Result::input_failed:
                r.input_error = relay.error();
                stop_input();
                break;
            }
        }
        if (fired(exit_i, POLLIN | POLLHUP | POLLERR)) {
            if (auto status = child_.try_reap()) {
                r.child = *status;
                reaped = true;
                if (shared) {
                    follow_shared_input();
                    r.input_ended = r.input_ended || shared_read >= shared->bytes;
                }
                if (reading && !r.input_ended)
                    r.child_exited_early = r.refused.empty();
                reading = false;
                child_.close_stdin();
            }
        }
        if (banner_pending && now >= banner_deadline) {
            r.banner_missing = true;
            refuse("it printed no version banner within " +
                   std::to_string(config_.banner_timeout.count()) + " ms");
        }
        if (finish_deadline && !kill_deadline && now >= *finish_deadline)
            escalate(r.asked_to_finish ? SIGKILL : SIGINT);
        else if (kill_deadline && *kill_deadline != Clock::time_point::max() &&
                 now >= *kill_deadline)
            escalate(SIGKILL);
        if (events_.on_tick)
            events_.on_tick();
    }

    // The child is gone; whatever it wrote last is still in the pipes and explains its exit.
    while (child_.stderr_fd() >= 0 && drain_some(child_.stderr_fd(), tail_) == ReadOutcome::data) {
    }
    tail_.finish();
    while (child_.progress_fd() >= 0 &&
           drain_some(child_.progress_fd(), progress) == ReadOutcome::data) {
    }
    progress.finish();
    // ffmpeg prints its banner before anything can fail; a program that exits without one
    // (--ffmpeg /bin/true) must not pass for an ffmpeg that succeeded. After a signal framepipe
    // stopped it itself, maybe while a loaded machine was still starting it: no evidence then.
    if (banner_pending && r.refused.empty() && r.interrupted_by == 0) {
        r.banner_missing = true;
        r.refused = "it exited without printing a version banner (" + r.child.describe() + ")";
    }
    tail_.on_line(nullptr);
    r.bytes_delivered = delivered();
    r.frames_delivered = relay.frames_counted();
    r.seconds_total = std::chrono::duration<double>(Clock::now() - start).count();
    return r;
}

SupervisorResult run_without_input(ChildProcess& child, LogTail& stderr_tail,
                                   std::chrono::milliseconds finish_timeout,
                                   SupervisorEvents events) {
    UniqueFd empty(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    SignalWatcher signals;
    SupervisorConfig config;
    config.finish_timeout = finish_timeout;
    config.disposable = true;
    Supervisor supervisor(
        empty.get(), child, signals.fd(), [&] { return signals.take(); }, stderr_tail, config,
        std::move(events));
    return supervisor.run();
}

} // namespace framepipe
