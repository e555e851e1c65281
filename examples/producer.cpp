// A minimal frame producer: the shape of any C or C++ program (a simulation, a renderer) that
// hands its frames to framepipe. It writes raw RGB (rgb24) frames, top row first, with no header,
// to stdout, and framepipe turns them into a video:
//
//   build/examples/producer 640 360 120 |
//     build/framepipe --size 640x360 --pix-fmt rgb24 --fps 30 out.mp4
//
// Arguments: WIDTH HEIGHT FRAMES [FIRST] (default 640 360 120 0). The content is deterministic: a
// slowly shifting colour gradient with a ball bouncing across it. FIRST starts at that frame of
// the animation, as one job of a cluster renders only its window of a long video (docs/cookbook.md,
// "Many machines").
// It needs nothing but a C++ compiler: g++ -O2 -o producer producer.cpp
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numbers>
#include <unistd.h>
#include <vector>

namespace {

// Writes all of `size` bytes, retrying short writes. false when the reader has gone away.
bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

long parse_arg(const char* text, const char* what, long min = 1, long max = 16384) {
    char* end = nullptr;
    long v = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < min || v > max) {
        std::fprintf(stderr, "producer: %s must be a number from %ld to %ld, not '%s'\n", what, min,
                     max, text);
        std::exit(2);
    }
    return v;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 1 && argc != 4 && argc != 5) {
        std::fprintf(stderr, "usage: producer [WIDTH HEIGHT FRAMES [FIRST]] | framepipe --size WxH "
                             "--pix-fmt rgb24 out.mp4\n");
        return 2;
    }
    const long width = argc >= 4 ? parse_arg(argv[1], "WIDTH") : 640;
    const long height = argc >= 4 ? parse_arg(argv[2], "HEIGHT") : 360;
    const long frames = argc >= 4 ? parse_arg(argv[3], "FRAMES", 1, 100000000) : 120;
    const long first = argc == 5 ? parse_arg(argv[4], "FIRST", 0, 100000000) : 0;
    if (::isatty(STDOUT_FILENO)) {
        std::fprintf(stderr, "producer: stdout is a terminal; pipe it into framepipe\n");
        return 2;
    }
    // If framepipe exits early, write() fails with EPIPE instead of killing us with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);

    std::vector<std::uint8_t> frame(static_cast<std::size_t>(width * height * 3));
    const double radius = static_cast<double>(height) / 8.0;
    for (long i = first; i < first + frames; ++i) {
        // The ball bounces between the edges: a triangle wave in x, a parabola-like sine in y.
        const double phase = static_cast<double>(i) / 60.0;
        const double span_x = static_cast<double>(width) - 2 * radius;
        const double tri = std::fabs(std::fmod(phase, 2.0) - 1.0); // 1 -> 0 -> 1
        const double cx = radius + (1.0 - tri) * span_x;
        const double cy =
            radius + std::fabs(std::sin(phase * 5.0)) * (static_cast<double>(height) - 2 * radius);
        std::uint8_t* p = frame.data();
        for (long y = 0; y < height; ++y) {
            for (long x = 0; x < width; ++x) {
                // A smooth gradient whose red band drifts to the left...
                const double u = static_cast<double>(x) / static_cast<double>(width) + phase / 2.0;
                double r = 128.0 + 100.0 * std::sin(2.0 * std::numbers::pi * u);
                double g = static_cast<double>(y) * 255.0 / static_cast<double>(height);
                double b = 128.0;
                // ...under a warm yellow ball with an anti-aliased edge (coverage 0..1).
                const double dx = static_cast<double>(x) - cx, dy = static_cast<double>(y) - cy;
                const double cover =
                    std::clamp(radius + 0.5 - std::sqrt(dx * dx + dy * dy), 0.0, 1.0);
                r += (250.0 - r) * cover;
                g += (200.0 - g) * cover;
                b += (40.0 - b) * cover;
                *p++ = static_cast<std::uint8_t>(std::lround(r));
                *p++ = static_cast<std::uint8_t>(std::lround(g));
                *p++ = static_cast<std::uint8_t>(std::lround(b));
            }
        }
        if (!write_all(STDOUT_FILENO, frame.data(), frame.size())) {
            std::fprintf(stderr, "producer: writing frame %ld failed: %s\n", i,
                         std::strerror(errno));
            return 1;
        }
    }
    return 0;
}
