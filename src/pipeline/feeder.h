// What moves frames from the producer to ffmpeg's stdin inside the supervisor's poll loop: the
// Relay (bytes as they are, spliced) or a FrameFeeder (frames transformed on worker threads). The
// supervisor polls what the feeder asks for and calls transfer() when any of it is ready; a
// feeder never blocks, so the loop still sees signals and ffmpeg's output at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace framepipe {

class Feeder {
  public:
    enum class Result {
        moved,         // some bytes went through, or were taken in
        output_full,   // ffmpeg's pipe is full: wait for it to become writable
        input_empty,   // nothing to do right now
        input_ended,   // EOF from the producer, and everything before it was delivered
        output_closed, // ffmpeg closed its stdin or died (EPIPE)
        input_failed,  // read error; see error()
    };
    // What to poll for: the input being readable, ffmpeg's stdin being writable, a descriptor
    // that becomes readable when the feeder's own threads have something for it.
    struct Wants {
        bool input = false;
        bool output = false;
        int wake_fd = -1;
    };
    // What the poll found.
    struct Ready {
        bool input = false;
        bool output = false;
        bool woken = false;
    };

    virtual ~Feeder() = default;
    // output_writable: false after transfer() said output_full, until ffmpeg's stdin polled
    // writable again.
    virtual Wants wants(bool output_writable) const = 0;
    virtual Result transfer(int output_fd, Ready ready) = 0;
    // Input bytes whose frames ffmpeg has been given in full, plus, once the input has ended,
    // the bytes of an incomplete last frame: the frame accounting's count.
    virtual std::uint64_t bytes_delivered() const = 0;
    // Framings whose frames differ in length or carry headers (src/streams/) count frames
    // instead: the whole frames ffmpeg has been given. Nothing for raw frames, counted in bytes.
    virtual std::optional<std::uint64_t> frames_counted() const { return std::nullopt; }
    virtual const std::string& error() const = 0;
};

// One write into ffmpeg's non-blocking stdin, retried when a signal interrupts it: `moved` with
// the byte count in `written`, `output_full` when the pipe takes nothing now, or `output_closed`
// when ffmpeg is gone (EPIPE) or the write failed otherwise (then said in `error`).
Feeder::Result write_to_ffmpeg(int fd, const void* data, std::size_t size, std::size_t& written,
                               std::string& error);

// Like write_to_ffmpeg(), but the pipe takes references to the pages of `data` instead of a
// copy (vmsplice(2)): ffmpeg reads them straight from framepipe's buffer, one copy less per
// frame. The bytes must stay unchanged until ffmpeg has read them, which is certain only once
// pipe_capacity() more bytes have gone into the pipe after them. Nothing when `fd` is not a pipe
// that can take pages: write_to_ffmpeg() instead.
std::optional<Feeder::Result> lend_to_ffmpeg(int fd, const void* data, std::size_t size,
                                             std::size_t& written, std::string& error);

// How many bytes the pipe `fd` holds at most; nothing when it is not a pipe.
std::optional<std::size_t> pipe_capacity(int fd);

// What a failed splice(2) from the input into ffmpeg's stdin means, from its errno: a result, or
// nothing when the input cannot be spliced (a terminal, a socket on some kernels, an O_APPEND
// file) and must be copied instead. A read error is said in `error`.
std::optional<Feeder::Result> splice_failure(int err, std::string& error);

} // namespace framepipe
