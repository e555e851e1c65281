#include "signals.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace framepipe {

namespace {

volatile sig_atomic_t g_signal_fd = -1;

extern "C" void on_signal(int signo) {
    int saved = errno;
    unsigned char byte = static_cast<unsigned char>(signo);
    if (g_signal_fd >= 0) {
        [[maybe_unused]] auto n = ::write(g_signal_fd, &byte, 1);
    }
    errno = saved;
}

} // namespace

SignalWatcher::SignalWatcher(std::vector<int> signals)
    : pipe_(make_pipe()), signals_(std::move(signals)) {
    set_nonblocking(pipe_.read.get());
    set_nonblocking(pipe_.write.get());
    previous_fd_ = g_signal_fd;
    g_signal_fd = pipe_.write.get();
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocking call should see EINTR
    for (int s : signals_) {
        struct sigaction old {};
        sigaction(s, &sa, &old);
        previous_.push_back(old);
    }
}

SignalWatcher::~SignalWatcher() {
    for (std::size_t i = 0; i < signals_.size(); ++i)
        sigaction(signals_[i], &previous_[i], nullptr);
    g_signal_fd = previous_fd_;
}

std::optional<int> SignalWatcher::take() {
    unsigned char byte = 0;
    if (::read(pipe_.read.get(), &byte, 1) == 1)
        return static_cast<int>(byte);
    return std::nullopt;
}

} // namespace framepipe
