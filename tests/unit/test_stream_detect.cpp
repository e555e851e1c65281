// --input-format auto: the first bytes pick the format, or the run is refused naming them.
#include "stream_test_support.h"

#include "catch.h"

using namespace framepipe;
using namespace framepipe::testing;

namespace {

std::optional<StreamFormat> detect(std::string_view bytes, bool at_end = false) {
    return detect_stream_format(as_bytes(bytes), at_end);
}

const std::string kRefusal = "--size is required for raw frames: give the frame size, e.g. "
                             "--size 1280x720 (without it framepipe reads YUV4MPEG2, PGM/PPM "
                             "(P5/P6), PAM (P7) and PNG streams, but the input ";

} // namespace

TEST_CASE("the first bytes say which self-describing format the input is") {
    CHECK(detect("YUV4MPEG2 W4 H2\n") == StreamFormat::y4m);
    CHECK(detect("P5 4 2 255\n") == StreamFormat::pnm);
    CHECK(detect("P6") == StreamFormat::pnm);
    CHECK(detect("P7\nWIDTH") == StreamFormat::pnm);
    CHECK(detect(std::string_view("\x89PNG\r\n\x1a\n\0\0", 10)) == StreamFormat::png);
}

TEST_CASE("detection waits while the bytes could still become a signature") {
    CHECK(!detect(""));
    CHECK(!detect("P"));
    CHECK(!detect("YUV4MPEG2"));
    CHECK(!detect("\x89PN"));
    CHECK(kDetectBytes >= 10);
}

TEST_CASE("anything else is the usage error of a missing --size, naming the formats") {
    auto refusal = [](std::string_view bytes, bool at_end) {
        try {
            detect(bytes, at_end);
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::usage);
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refusal(std::string_view("\0\0\0\xff\x10", 5), false) ==
          kRefusal + "starts with \"\\x00\\x00\\x00\\xff\\x10\")");
    CHECK(refusal("P4 4 2\n", false) == kRefusal + "starts with \"P4 4 2\\n\")");
    CHECK(refusal("YUV4MPEG2\n", false) == kRefusal + "starts with \"YUV4MPEG2\\n\")");
    CHECK(refusal("YUV4MPEG", true) == kRefusal + "starts with \"YUV4MPEG\")");
    CHECK(refusal("", true) == kRefusal + "is empty)");
    CHECK(refusal("abcdefghijklmnop", false) == kRefusal + "starts with \"abcdefghij\")");
}
