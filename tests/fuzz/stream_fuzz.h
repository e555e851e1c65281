// The oracle of the three frame stream fuzz targets: a parser must give the same frames, the
// same error and the same bytes whether the input comes whole or in pieces, and whether raster
// bytes are fed or skipped with skip_payload().
#pragma once

#include "fuzz_support.h"
#include "streams/detect.h"

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace framepipe::fuzz {

struct Outcome {
    std::vector<StreamDescription> frames;
    std::uint64_t complete = 0;
    std::uint64_t payload = 0;
    std::uint64_t framing = 0;
    std::optional<std::string> error;
};

// Feeds `bytes` in pieces of `piece` bytes (all at once for 0); with `skip`, moves known raster
// bytes with skip_payload() as a splicing caller would.
inline Outcome run_parser(StreamFormat format, std::span<const std::uint8_t> bytes,
                          std::size_t piece, bool skip) {
    auto parser = make_stream_parser(format);
    Outcome o;
    try {
        std::size_t pos = 0;
        while (pos < bytes.size()) {
            const std::size_t left = bytes.size() - pos;
            ParseStep s;
            if (skip && parser->payload_left() > 0) {
                s = parser->skip_payload(std::min<std::uint64_t>(parser->payload_left(), left));
            } else {
                s = parser->feed(bytes.subspan(pos, piece == 0 ? left : std::min(piece, left)));
            }
            require(s.consumed > 0 || parser->payload_left() > 0);
            pos += s.consumed;
            (s.payload ? o.payload : o.framing) += s.consumed;
            if (s.frame_started) {
                require(parser->frame().has_value());
                o.frames.push_back(*parser->frame());
            }
            o.complete += s.frame_complete ? 1 : 0;
            require(parser->offset() == pos);
        }
        parser->finish();
    } catch (const Error& e) {
        require(e.code() == ExitCode::input);
        o.error = e.what();
    }
    require(o.complete == parser->frames_complete());
    require(o.frames.size() >= o.complete);
    return o;
}

inline int fuzz_stream(StreamFormat format, const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    const Outcome whole = run_parser(format, bytes, 0, false);
    const std::size_t piece = size == 0 ? 1 : 1 + data[size - 1] % 13;
    for (const Outcome& other :
         {run_parser(format, bytes, 1, false), run_parser(format, bytes, piece, true)}) {
        require(other.frames == whole.frames);
        require(other.complete == whole.complete);
        require(other.error == whole.error);
        if (!whole.error)
            require(other.payload == whole.payload && other.framing == whole.framing);
    }
    for (const auto& f : whole.frames) {
        require(f == whole.frames.front() || format != StreamFormat::y4m);
        require(f.size.width >= 1 && f.size.height >= 1);
        require(f.payload_bytes <= kMaxFrameBytes);
        require(!f.pix_fmt.empty());
    }
    return 0;
}

} // namespace framepipe::fuzz
