#include "streams/stream_start.h"

#include "error.h"
#include "streams/detect.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace framepipe {

namespace {

// Waits until `fd` has bytes (or has ended) or a signal came; returns the signal, or 0.
int wait_for_input(int fd, SignalWatcher& signals) {
    for (;;) {
        if (auto signo = signals.take())
            return *signo;
        pollfd p[2]{{fd, POLLIN, 0}, {signals.fd(), POLLIN, 0}};
        if (::poll(p, 2, -1) > 0 && p[0].revents != 0 && p[1].revents == 0)
            return 0;
    }
}

// One read once the input is ready; 0 at the end. Sets `signo` instead when a signal came first.
std::size_t read_some(int fd, std::uint8_t* to, std::size_t n, const std::string& label,
                      SignalWatcher& signals, int& signo) {
    for (;;) {
        if ((signo = wait_for_input(fd, signals)) != 0)
            return 0;
        const ssize_t got = ::read(fd, to, n);
        if (got >= 0)
            return static_cast<std::size_t>(got);
        if (errno != EAGAIN && errno != EINTR)
            throw Error(ExitCode::input, "reading " + label +
                                             " failed before a whole frame "
                                             "arrived: " +
                                             std::strerror(errno) + "; nothing was written");
    }
}

void refuse(const std::string& option, const std::string& value, const StreamDescription& d,
            const std::string& header_value) {
    throw Error(ExitCode::usage, option + " " + value + " contradicts the " +
                                     std::string(to_string(d.format)) +
                                     " input, whose header says " + header_value + ": drop " +
                                     option + " (the stream says what its frames are)");
}

[[noreturn]] void refuse_matrix(const std::string& matrix, const std::string& input,
                                const std::string& pictures) {
    throw Error(ExitCode::usage, "--input-matrix " + matrix +
                                     " names the YCbCr matrix a YUV4MPEG2 input was made with, "
                                     "but the input is " +
                                     input + ": " + pictures +
                                     " have no such matrix, so drop --input-matrix");
}

bool gray_pictures(const std::string& pix_fmt) {
    return pix_fmt.starts_with("gray") || pix_fmt.starts_with("ya");
}

} // namespace

std::optional<StreamFormat> declared_stream_format(InputFormat f) {
    switch (f) {
    case InputFormat::y4m:
        return StreamFormat::y4m;
    case InputFormat::pnm:
        return StreamFormat::pnm;
    case InputFormat::png:
        return StreamFormat::png;
    default:
        return std::nullopt;
    }
}

bool reads_stream(const Options& o) {
    return o.input_format != InputFormat::raw &&
           !(o.input_format == InputFormat::automatic && o.size);
}

StreamStart read_stream_start(int fd, InputFormat declared, const std::string& label,
                              SignalWatcher& signals) {
    StreamStart start;
    std::optional<StreamFormat> format = declared_stream_format(declared);
    std::unique_ptr<FrameStreamParser> parser;
    std::size_t parsed = 0;
    for (;;) {
        const std::size_t had = start.bytes.size();
        start.bytes.resize(had + (format ? 65536 : kDetectBytes - had));
        const std::size_t got = read_some(fd, start.bytes.data() + had, start.bytes.size() - had,
                                          label, signals, start.interrupted_by);
        start.bytes.resize(had + got);
        if (start.interrupted_by != 0)
            return start;
        if (!format) {
            format = detect_stream_format(start.bytes, got == 0);
            if (!format)
                continue;
        }
        if (!parser)
            parser = make_stream_parser(*format);
        while (parsed < start.bytes.size() && !parser->stream()) {
            std::span<const std::uint8_t> rest(start.bytes);
            parsed += parser->feed(rest.subspan(parsed)).consumed;
        }
        if (parser->stream()) {
            start.first = *parser->stream();
            return start;
        }
        if (got == 0) {
            parser->finish();
            throw Error(ExitCode::input, "no frames arrived on " + label +
                                             ": nothing was written (is the producer running?)");
        }
    }
}

void check_stream_options(const Options& o, const StreamDescription& d) {
    if (o.size && *o.size != d.size)
        refuse("--size", to_string(*o.size), d, to_string(d.size));
    if (o.pix_fmt_given && o.pix_fmt->ffmpeg_name != d.pix_fmt && o.pix_fmt->name != d.pix_fmt)
        refuse("--pix-fmt", std::string(o.pix_fmt->name), d, d.pix_fmt);
    if (o.fps_given && d.rate && o.fps.num * d.rate->den != d.rate->num * o.fps.den)
        refuse("--fps", to_string(o.fps), d, to_string(*d.rate));
    const bool gray = gray_pictures(d.pix_fmt);
    if (!o.input_matrix.empty() && (d.format != StreamFormat::y4m || gray))
        refuse_matrix(o.input_matrix,
                      std::string(to_string(d.format)) + " (" + describe_frame(d) + ")",
                      gray ? "gray pictures" : "RGB pictures");
}

void check_input_matrix(const Options& o) {
    if (o.input_matrix.empty())
        return;
    if (!reads_stream(o))
        refuse_matrix(o.input_matrix, "raw frames (--pix-fmt " + std::string(o.pix_fmt->name) + ")",
                      o.pix_fmt->gray ? "gray pictures" : "RGB pictures");
    if (o.input_format == InputFormat::pnm || o.input_format == InputFormat::png)
        refuse_matrix(o.input_matrix,
                      std::string(o.input_format == InputFormat::pnm ? "PNM" : "PNG") +
                          " (--input-format " +
                          (o.input_format == InputFormat::pnm ? "pnm" : "png") + ")",
                      "its RGB or gray pictures");
}

std::string y4m_matrix(const StreamDescription& d, const std::string& input_matrix) {
    if (!input_matrix.empty())
        return input_matrix;
    return d.size.width >= 1280 || d.size.height > 576 ? "bt709" : "bt601";
}

RawInput stream_ffmpeg_input(const StreamDescription& d, Rational fps,
                             const std::string& input_matrix) {
    RawInput in;
    in.size = d.size;
    in.rate = d.rate.value_or(fps);
    // PNG images reach ffmpeg as the raw frames framepipe decodes them into.
    if (d.format == StreamFormat::png) {
        in.format = &parse_pixel_format(d.pix_fmt);
        in.png = true;
    } else {
        in.stream_pix_fmt = d.pix_fmt;
    }
    if (d.format == StreamFormat::y4m) {
        in.yuv_matrix = y4m_matrix(d, input_matrix);
        in.yuv_range = d.range == ColorRange::full ? "pc" : "tv";
        in.sample_aspect = d.sample_aspect;
        in.field_order = d.interlacing == Interlacing::top_first      ? "tt"
                         : d.interlacing == Interlacing::bottom_first ? "bb"
                                                                      : "";
        in.chroma_location = d.chroma == ChromaSiting::center     ? "center"
                             : d.chroma == ChromaSiting::left     ? "left"
                             : d.chroma == ChromaSiting::top_left ? "topleft"
                                                                  : "";
    }
    return in;
}

void check_stream_supported(const StreamDescription& d) {
    if (d.interlacing == Interlacing::mixed)
        throw Error(ExitCode::input,
                    "the YUV4MPEG2 header says Im: its frames mix interlaced and progressive "
                    "pictures, each saying which in its FRAME line, and framepipe tags the whole "
                    "video one way: have the producer send It, Ib or Ip (ffmpeg refuses Im too); "
                    "nothing was written");
}

} // namespace framepipe
