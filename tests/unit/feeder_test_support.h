// Driving a Feeder against real pipes the way the supervisor does, with a producer writing the
// input in small pieces and a consumer reading everything written.
#pragma once

#include "fd.h"
#include "pipeline/feeder.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <poll.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace framepipe::testing {

// The supervisor's part: poll what the feeder wants, hand it what fired. Gives up after a
// quiet second.
inline Feeder::Result drive(Feeder& f, int input_fd, int output_fd) {
    bool writable = true;
    for (;;) {
        const auto w = f.wants(writable);
        std::array<pollfd, 3> fds{pollfd{w.input ? input_fd : -1, POLLIN, 0},
                                  pollfd{w.output ? output_fd : -1, POLLOUT, 0},
                                  pollfd{w.wake_fd, POLLIN, 0}};
        if (::poll(fds.data(), fds.size(), 1000) <= 0)
            return Feeder::Result::input_empty;
        const Feeder::Ready ready{fds[0].revents != 0, fds[1].revents != 0, fds[2].revents != 0};
        writable = writable || ready.output;
        const auto r = f.transfer(output_fd, ready);
        if (r == Feeder::Result::output_full)
            writable = false;
        if (r == Feeder::Result::input_ended || r == Feeder::Result::output_closed ||
            r == Feeder::Result::input_failed)
            return r;
    }
}

struct Run {
    Feeder::Result result;
    std::vector<std::uint8_t> output;
    std::uint64_t delivered;
    std::optional<std::uint64_t> frames; // Feeder::frames_counted()
    std::string error;
};

inline Run feed_through(const std::vector<std::uint8_t>& input,
                        const std::function<std::unique_ptr<Feeder>(int input_fd)>& make) {
    auto in = make_pipe();
    auto out = make_pipe();
    set_nonblocking(out.write.get());
    std::thread producer([&, fd = std::move(in.write)]() mutable {
        std::size_t at = 0;
        while (at < input.size()) {
            auto n =
                ::write(fd.get(), input.data() + at, std::min<std::size_t>(777, input.size() - at));
            if (n <= 0)
                return;
            at += static_cast<std::size_t>(n);
        }
    });
    Run run;
    std::thread consumer([&] {
        std::array<std::uint8_t, 4096> buf;
        ssize_t n;
        while ((n = ::read(out.read.get(), buf.data(), buf.size())) > 0)
            run.output.insert(run.output.end(), buf.begin(), buf.begin() + n);
    });
    auto feeder = make(in.read.get());
    run.result = drive(*feeder, in.read.get(), out.write.get());
    run.delivered = feeder->bytes_delivered();
    run.frames = feeder->frames_counted();
    run.error = feeder->error();
    out.write.reset();
    producer.join();
    consumer.join();
    return run;
}

} // namespace framepipe::testing
