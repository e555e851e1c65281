// Feeding frame stream parsers in the tests: every input is fed both whole and one byte at a
// time, and both ways must agree, since a pipe may deliver any split.
#pragma once

#include "error.h"
#include "streams/detect.h"

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe::testing {

struct Walk {
    std::vector<StreamDescription> frames; // one per frame header read
    std::uint64_t complete = 0;
    std::string payload; // what ffmpeg would be given
    std::string framing; // what framepipe drops
    std::string error;   // the message of the Error that stopped the walk, if any
    bool operator==(const Walk&) const = default;
};

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Feeds `bytes` in chunks of `chunk` bytes (the whole at once for 0), then finish().
inline Walk walk_stream(StreamFormat format, std::string_view bytes, std::size_t chunk) {
    auto parser = make_stream_parser(format);
    Walk w;
    try {
        std::size_t pos = 0;
        while (pos < bytes.size()) {
            auto piece = bytes.substr(pos, chunk == 0 ? bytes.size() : chunk);
            while (!piece.empty()) {
                ParseStep s = parser->feed(as_bytes(piece));
                (s.payload ? w.payload : w.framing) += piece.substr(0, s.consumed);
                if (s.frame_started)
                    w.frames.push_back(*parser->frame());
                if (s.frame_complete)
                    ++w.complete;
                piece.remove_prefix(s.consumed);
                pos += s.consumed;
            }
        }
        parser->finish();
        if (parser->frames_complete() != w.complete)
            throw std::logic_error("the parser's frame count disagrees with its steps");
    } catch (const Error& e) {
        if (e.code() != ExitCode::input)
            throw;
        w.error = e.what();
    }
    return w;
}

// The walk of a whole input, checked to be the same fed one byte at a time and in 7-byte pieces
// (up to an error, how much was forwarded before it depends on the pieces, so not that).
inline Walk walk_both_ways(StreamFormat format, std::string_view bytes) {
    Walk whole = walk_stream(format, bytes, 0);
    for (std::size_t chunk : {1, 7}) {
        Walk piecewise = walk_stream(format, bytes, chunk);
        if (!whole.error.empty()) {
            piecewise.payload = whole.payload;
            piecewise.framing = whole.framing;
        }
        if (!(piecewise == whole))
            throw std::logic_error(
                "feeding in pieces of " + std::to_string(chunk) +
                " gave another result than feeding it whole: " + piecewise.error);
    }
    return whole;
}

inline std::string stream_error(StreamFormat format, std::string_view bytes) {
    return walk_both_ways(format, bytes).error;
}

} // namespace framepipe::testing
