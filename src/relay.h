// Moves bytes from the producer to ffmpeg's stdin without ever blocking the supervisor: splice(2)
// when the kernel allows it (no copy through user space), read/write through one buffer when it
// does not (a terminal, some sockets).
#pragma once

#include "pipeline/feeder.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace framepipe {

class Relay : public Feeder {
  public:
    explicit Relay(int input_fd, std::size_t chunk_bytes = 1 << 20);

    // Call when the input is readable (or known to hold data) and the output was writable.
    Result transfer(int output_fd);

    // As a Feeder: the input is polled while ffmpeg takes data, ffmpeg's stdin while it does not.
    Wants wants(bool output_writable) const override;
    Result transfer(int output_fd, Ready ready) override;

    std::uint64_t bytes_delivered() const override { return delivered_; }
    bool using_splice() const { return splice_ok_; }
    bool has_pending() const { return pending_begin_ < pending_.size(); }
    const std::string& error() const override { return error_; }

  private:
    Result copy_transfer(int output_fd);
    Result flush_pending(int output_fd);

    int input_;
    std::size_t chunk_;
    bool splice_ok_ = true;
    std::vector<char> pending_;
    std::size_t pending_begin_ = 0;
    std::uint64_t delivered_ = 0;
    std::string error_;
};

} // namespace framepipe
