// Fuzz target: ffmpeg's stderr as framepipe keeps and explains it (LogTail, the classifier).
#include "diagnosis.h"
#include "fuzz_support.h"
#include "log_tail.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace framepipe;
    const auto text = fuzz::as_text(data, size);
    // Small limits so that floods, long lines and the problem-line list are all reached.
    LogTail tail(8, 64);
    const std::size_t piece = size == 0 ? 1 : 1 + data[0] % 17;
    for (std::size_t pos = 0; pos < text.size(); pos += piece)
        tail.feed(text.substr(pos, piece));
    tail.finish();
    fuzz::require(tail.lines().size() <= 8);
    for (const auto& line : tail.lines()) {
        fuzz::require(line.size() <= 64);
        (void)is_output_write_error(line);
        (void)LogTail::strip_level(line);
    }
    (void)diagnose_ffmpeg_failure(tail.last_meaningful(5));
    return 0;
}
