#include "concat/segment_probe.h"

#include "child_process.h"
#include "concat/tool_run.h"
#include "error.h"

#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace framepipe {

namespace {

// Compared in this order, so the first difference reported is the one most likely meant.
constexpr std::pair<const char*, const char*> kCompared[] = {
    {"codec_name", "codec"},
    {"profile", "profile"},
    {"width", "width"},
    {"height", "height"},
    {"pix_fmt", "pixel format"},
    {"color_range", "colour range"},
    {"color_space", "colour matrix"},
    {"color_transfer", "transfer"},
    {"color_primaries", "primaries"},
    {"time_base", "time base"},
    {"extradata_hash", "codec headers (extradata)"},
};

std::string text_of(const nlohmann::json& j) {
    if (j.is_string())
        return j.get<std::string>();
    if (j.is_null())
        return "none";
    return j.dump();
}

std::optional<std::uint64_t> count(const nlohmann::json& stream, const char* key) {
    auto it = stream.find(key);
    if (it == stream.end() || !it->is_string())
        return std::nullopt;
    try {
        return std::stoull(it->get<std::string>());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// "[matroska,webm @ 0x55d9...] File ended prematurely" -> "File ended prematurely": the address
// means nothing to a user, and differs between runs.
std::string without_context(std::string line) {
    if (line.starts_with('[')) {
        auto close = line.find("] ");
        if (close != std::string::npos && line.find(" @ 0x") < close)
            line.erase(0, close + 2);
    }
    return line;
}

} // namespace

std::vector<std::string> segment_probe_args(const std::filesystem::path& path) {
    std::string entries = "stream=nb_frames,nb_read_packets,extradata_size";
    for (const auto& [key, label] : kCompared)
        entries += std::string(",") + key;
    entries += ":format=duration:format_tags=" + std::string(kSegmentTagKey);
    return {"-hide_banner",
            "-loglevel",
            "error",
            "-show_data_hash",
            "sha256",
            "-count_packets",
            "-select_streams",
            "v:0",
            "-show_entries",
            entries,
            "-of",
            "json",
            "file:" + path.string()};
}

SegmentInfo parse_segment_probe(std::string path, std::string_view json) {
    SegmentInfo s;
    s.path = std::move(path);
    auto doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error(ExitCode::segments, "cannot read segment '" + s.path +
                                            "': ffprobe's report is not JSON (is --ffprobe "
                                            "really ffprobe?)");
    const auto& streams = doc.value("streams", nlohmann::json::array());
    if (streams.empty())
        throw Error(ExitCode::segments,
                    "segment '" + s.path + "' has no video stream: is it a framepipe segment?");
    const auto& stream = streams.front();
    for (const auto& [key, label] : kCompared)
        s.properties.emplace_back(label, text_of(stream.value(key, nlohmann::json())));
    s.frames = count(stream, "nb_read_packets").value_or(0);
    s.index_frames = count(stream, "nb_frames");
    const auto& format = doc.value("format", nlohmann::json::object());
    if (auto d = format.find("duration"); d != format.end() && d->is_string())
        try {
            s.duration = std::stod(d->get<std::string>());
        } catch (const std::exception&) {
        }
    const auto& tags = format.value("tags", nlohmann::json::object());
    // Matroska upper-cases tag names when it reads them back.
    for (const auto& [key, value] : tags.items())
        if ((key == kSegmentTagKey || key == "COMMENT") && value.is_string())
            s.tag = parse_segment_tag(value.get<std::string>());
    return s;
}

namespace {

// ffprobes started before the one being read: enough to overlap their start-up on a few cores,
// few enough that their memory and descriptors stay small.
constexpr std::size_t kProbesAhead = 3;

std::unique_ptr<ChildProcess> start_probe(const std::filesystem::path& ffprobe,
                                          const std::string& path) {
    if (::access(path.c_str(), R_OK) != 0)
        throw Error(ExitCode::segments,
                    "cannot read segment '" + path + "': " + std::strerror(errno));
    return start_tool(ffprobe, segment_probe_args(path), STDOUT_FILENO);
}

SegmentInfo finish_probe(ChildProcess& child, const std::string& path) {
    std::string json;
    auto run = finish_tool(child, [&](std::string_view line) {
        json.append(line);
        json.push_back('\n');
    });
    if (!run.result.child.success())
        throw Error(ExitCode::segments,
                    "cannot read segment '" + path + "' (ffprobe " + run.result.child.describe() +
                        "): is it a complete video?" + tool_said("ffprobe", run.tail));
    SegmentInfo s = parse_segment_probe(path, json);
    for (const auto& line : run.tail.lines())
        s.problems.push_back(without_context(LogTail::strip_level(line)));
    return s;
}

} // namespace

std::vector<SegmentInfo> probe_segments(const std::filesystem::path& ffprobe,
                                        const std::vector<std::string>& paths) {
    std::vector<SegmentInfo> infos;
    std::deque<std::unique_ptr<ChildProcess>> running;
    std::size_t started = 0;
    for (const auto& path : paths) {
        while (started < paths.size() && running.size() <= kProbesAhead)
            running.push_back(start_probe(ffprobe, paths[started++]));
        infos.push_back(finish_probe(*running.front(), path));
        running.pop_front();
    }
    return infos;
}

} // namespace framepipe
