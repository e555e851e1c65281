// Fuzz target: ffmpeg's -progress stream, line by line as framepipe reads it.
#include "fuzz_support.h"
#include "progress.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    std::string_view text = fuzz::as_text(data, size);
    ProgressParser parser;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        // Only the (blank-trimmed) key "progress" closes a block.
        if (parser.feed(line))
            fuzz::require(line.substr(0, line.find('=')).find("progress") !=
                          std::string_view::npos);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    return 0;
}
