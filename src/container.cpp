#include "container.h"

#include "error.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace framepipe {

namespace {

constexpr std::array kContainers{
    Container{"mp4", "mp4", true},    Container{"m4v", "mp4", true},
    Container{"mov", "mov", true},    Container{"mkv", "matroska", false},
    Container{"webm", "webm", false}, Container{"avi", "avi", false},
    Container{"ts", "mpegts", false}, Container{"nut", "nut", false},
    Container{"gif", "gif", false},
};

} // namespace

std::span<const Container> containers() {
    return kContainers;
}

std::string container_extensions() {
    std::string out;
    for (const auto& c : kContainers) {
        if (!out.empty())
            out += ", ";
        out += ".";
        out += c.extension;
    }
    return out;
}

const Container& container_for(const std::filesystem::path& output) {
    std::string ext = output.extension().string();
    if (!ext.empty())
        ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto it = std::find_if(kContainers.begin(), kContainers.end(),
                           [&](const Container& c) { return c.extension == ext; });
    if (it == kContainers.end()) {
        std::string what =
            ext.empty() ? "has no extension" : "has the unknown extension '." + ext + "'";
        throw Error(ExitCode::usage, "output '" + output.string() + "' " + what +
                                         ": name it with one of " + container_extensions());
    }
    return *it;
}

} // namespace framepipe
