#include "diagnosis.h"

#include <array>
#include <string_view>

namespace framepipe {

namespace {

struct Pattern {
    std::string_view needle;
    std::string_view advice;
};

// Ordered: the first match wins, so the most specific causes come first.
constexpr std::array kPatterns{
    Pattern{"Unknown encoder", "this ffmpeg build lacks the preset's encoder: pick another preset "
                               "(framepipe --list-presets shows which ones this ffmpeg has)"},
    Pattern{"No space left on device", "the disk is full: free some space or write elsewhere"},
    Pattern{"File too large",
            "the file hit a size limit (ulimit -f or the filesystem's): write elsewhere"},
    Pattern{"Input/output error",
            "the disk reported an I/O error: check it (dmesg) or write elsewhere"},
    Pattern{"Permission denied", "permission denied: check that the output directory is writable"},
    Pattern{"Cannot load libcuda",
            "no NVIDIA driver here: use a software preset such as x264-crf17"},
    Pattern{"Cannot load libnvidia-encode", "no NVIDIA encoder driver here: use a software preset"},
    Pattern{"No NVENC capable devices found", "no NVENC-capable GPU here: use a software preset"},
    Pattern{"No device available for decoder",
            "the hardware device is missing: use a software preset"},
    Pattern{"Error creating a MFX session",
            "no Intel Quick Sync device here: use a software preset"},
    Pattern{"Failed to initialise VAAPI", "no VA-API device here: use a software preset"},
    Pattern{"No VA display found", "no VA-API device here: use a software preset"},
    Pattern{"DLL amfrt64.dll failed to open", "no AMD AMF runtime here: use a software preset"},
    Pattern{"not divisible by 2", "the encoder needs even dimensions: check --size"},
    Pattern{"Invalid frame size", "ffmpeg rejected the frame size: check --size"},
    Pattern{"Picture size", "ffmpeg rejected the frame size: check --size"},
    Pattern{"Error initializing output stream",
            "the encoder rejected its settings: check the preset and any options after --"},
    Pattern{"Error while opening encoder",
            "the encoder rejected its settings: check the preset and any options after --"},
    Pattern{"Unrecognized option",
            "ffmpeg did not accept an option: check the options after -- and the preset's args"},
    Pattern{"Option not found",
            "ffmpeg did not accept an option: check the options after -- and the preset's args"},
    Pattern{"Invalid argument",
            "ffmpeg rejected an argument: check the options after -- and the preset's args"},
};

} // namespace

bool is_output_write_error(std::string_view line) {
    // Searched anywhere in the line: with -loglevel level+info it starts "[error] ", and newer
    // ffmpegs put the muxer's context before that ("[out#0/mp4 @ 0x..] [error] ...").
    for (std::string_view needle : {"Error writing trailer", "Error closing file",
                                    "No space left on device", "File too large"})
        if (line.find(needle) != std::string_view::npos)
            return true;
    return false;
}

std::string diagnose_ffmpeg_failure(const std::vector<std::string>& lines) {
    for (const auto& p : kPatterns)
        for (const auto& line : lines)
            if (line.find(p.needle) != std::string::npos)
                return std::string(p.advice);
    return {};
}

} // namespace framepipe
