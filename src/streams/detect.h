// `--input-format auto` without --size: the first bytes of the input say which self-describing
// format it is (YUV4MPEG2, PGM/PPM/PAM, PNG), or that it is none of them.
#pragma once

#include "streams/frame_stream.h"

#include <memory>
#include <optional>
#include <span>

namespace framepipe {

// The format the input starts with; nothing while `first` is still a prefix of some signature
// and more may come (`at_end` false). Throws Error(usage) when it is no format framepipe reads
// without --size, quoting the bytes it found.
std::optional<StreamFormat> detect_stream_format(std::span<const std::uint8_t> first, bool at_end);

// The bytes detect_stream_format() may need before it decides.
inline constexpr std::size_t kDetectBytes = 10;

std::unique_ptr<FrameStreamParser> make_stream_parser(StreamFormat format);

} // namespace framepipe
