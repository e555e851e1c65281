// Renders frames on several threads and hands them over strictly in index order, so the output is
// the same, byte for byte, whatever the number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace framepipe::testsrc {

// Fills a frame's bytes; `worker` (0 .. threads-1) says whose scratch space to use. Called from
// the worker threads, each frame exactly once, and must depend on nothing but the frame's index.
using RenderFrame =
    std::function<void(unsigned worker, std::uint64_t index, std::span<std::uint8_t> bytes)>;
// Takes a finished frame, on the calling thread, in index order; false stops the run.
using DeliverFrame = std::function<bool(std::span<const std::uint8_t> bytes)>;

// Renders frames 0 .. frames-1 on `threads` threads. Returns false if deliver stopped it early.
bool render_in_order(unsigned threads, std::uint64_t frames, std::size_t frame_bytes,
                     const RenderFrame& render, const DeliverFrame& deliver);

} // namespace framepipe::testsrc
