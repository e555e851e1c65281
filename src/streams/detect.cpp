#include "streams/detect.h"

#include "error.h"
#include "streams/header_text.h"
#include "streams/png.h"
#include "streams/pnm.h"
#include "streams/y4m.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace framepipe {

namespace {

struct Signature {
    std::string_view bytes;
    StreamFormat format;
};

constexpr std::string_view kPng{"\x89PNG\r\n\x1a\n", 8};
constexpr std::array kSignatures{
    Signature{"YUV4MPEG2 ", StreamFormat::y4m}, Signature{"P5", StreamFormat::pnm},
    Signature{"P6", StreamFormat::pnm},         Signature{"P7", StreamFormat::pnm},
    Signature{kPng, StreamFormat::png},
};

} // namespace

std::optional<StreamFormat> detect_stream_format(std::span<const std::uint8_t> first, bool at_end) {
    const std::string_view text(reinterpret_cast<const char*>(first.data()), first.size());
    bool could_be = false;
    for (const auto& s : kSignatures) {
        if (text.starts_with(s.bytes))
            return s.format;
        could_be = could_be || s.bytes.starts_with(text);
    }
    if (could_be && !at_end)
        return std::nullopt;
    throw Error(ExitCode::usage,
                "--size is required for raw frames: give the frame size, e.g. --size 1280x720 "
                "(without it framepipe reads YUV4MPEG2, PGM/PPM (P5/P6), PAM (P7) and PNG "
                "streams, but the input " +
                    (text.empty() ? std::string("is empty")
                                  : "starts with " + quote_bytes(text.substr(0, kDetectBytes))) +
                    ")");
}

std::unique_ptr<FrameStreamParser> make_stream_parser(StreamFormat format) {
    switch (format) {
    case StreamFormat::y4m:
        return std::make_unique<Y4mParser>();
    case StreamFormat::pnm:
        return std::make_unique<PnmParser>();
    case StreamFormat::png:
        return std::make_unique<PngParser>();
    }
    return nullptr;
}

} // namespace framepipe
