// Turns SIGINT, SIGTERM and SIGHUP into readable bytes on a pipe (the self-pipe trick), so the
// supervisor's poll loop sees a signal at once even while it waits on an idle producer.
#pragma once

#include "fd.h"

#include <csignal>
#include <optional>
#include <vector>

namespace framepipe {

class SignalWatcher {
  public:
    // Installs handlers for the given signals; restores the previous handlers on destruction.
    // Watchers nest: while an inner one lives (an encoder probe), signals go to it, and to the
    // outer one again once it is gone.
    explicit SignalWatcher(std::vector<int> signals = {SIGINT, SIGTERM, SIGHUP});
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    int fd() const { return pipe_.read.get(); }
    // The next signal received, if any; never blocks.
    std::optional<int> take();

  private:
    PipePair pipe_;
    std::vector<int> signals_;
    std::vector<struct sigaction> previous_;
    int previous_fd_ = -1;
};

} // namespace framepipe
