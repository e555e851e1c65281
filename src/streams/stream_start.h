// The start of a self-describing input, read before ffmpeg is started: ffmpeg's input options
// come from its first frame's header, and the options the user gave are checked against it.
#pragma once

#include "ffmpeg_args.h"
#include "options.h"
#include "signals.h"
#include "streams/frame_stream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

struct StreamStart {
    StreamDescription first;         // the first frame's header
    std::vector<std::uint8_t> bytes; // everything read to find it: the feeder's first input
    int interrupted_by = 0;          // the signal that came first; then nothing else is set
};

// The stream format --input-format names; nothing for auto (and raw).
std::optional<StreamFormat> declared_stream_format(InputFormat f);

// Whether the input is read as a stream (src/streams/) rather than as raw frames.
bool reads_stream(const Options& o);

// Reads (waiting for the producer, polling the input and the signal watcher's descriptor) until
// the first frame's header is complete, or a signal arrives. Throws Error(usage) when
// `--input-format auto` finds no known format, Error(input) when the header is corrupt or the
// input ends before it.
StreamStart read_stream_start(int fd, InputFormat declared, const std::string& label,
                              SignalWatcher& signals);

// Refuses (Error(usage)) --size, --pix-fmt or --fps when they contradict the header, and
// --input-matrix when the input has no YCbCr matrix (PNM, PNG, a mono YUV4MPEG2).
void check_stream_options(const Options& o, const StreamDescription& d);

// Before any input is read: refuses (Error(usage)) --input-matrix where the input is already
// known to have no YCbCr matrix (raw frames, which are RGB or gray; --input-format pnm or png).
void check_input_matrix(const Options& o);

// The matrix a YUV4MPEG2 stream was made with, which it never says: --input-matrix, else
// BT.709 for HD sizes (1280 wide or more, or taller than 576 lines), else BT.601.
std::string y4m_matrix(const StreamDescription& d, const std::string& input_matrix);

// Throws Error(input) for a stream framepipe cannot pass on faithfully: a YUV4MPEG2 one whose
// frames mix interlaced and progressive pictures (Im).
void check_stream_supported(const StreamDescription& d);

// What ffmpeg is told about the frames framepipe hands it, and what the header says of its
// pictures (pixel aspect, field order, chroma siting) for the output to say the same.
RawInput stream_ffmpeg_input(const StreamDescription& d, Rational fps,
                             const std::string& input_matrix);

} // namespace framepipe
