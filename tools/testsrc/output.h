// Standard output as the test pattern uses it: whole frames in single large writes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace framepipe::testsrc {

// If stdout is a pipe, asks for a 1 MiB buffer (the unprivileged maximum), so the reader gets
// large batches instead of a wake-up every 64 KiB. A refusal only costs speed and is ignored.
void widen_stdout_pipe();

// Writes all n bytes to stdout; false once the reader has gone away (or any other write error).
bool write_stdout(const std::uint8_t* data, std::size_t n);

} // namespace framepipe::testsrc
