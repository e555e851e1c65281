#include "concat/segment_probe.h"

#include "child_process.h"
#include "concat/mp4_segment.h"
#include "concat/tool_run.h"
#include "error.h"

#include <cerrno>
#include <charconv>
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

// ffprobe writes counts as decimal digits in a string; anything else (stoull would take "-1" as
// 2^64-1 frames) is no count.
std::optional<std::uint64_t> count(const nlohmann::json& stream, const char* key) {
    auto it = stream.find(key);
    if (it == stream.end() || !it->is_string())
        return std::nullopt;
    const auto& text = it->get_ref<const std::string&>();
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
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
    // Each level is looked at only as the shape ffprobe writes (objects holding an array of
    // objects): nlohmann's value() throws its own exception on anything else, which would end
    // the join as an internal error instead of a refusal naming the segment.
    const auto streams = doc.find("streams");
    if (streams == doc.end() || !streams->is_array() || streams->empty())
        throw Error(ExitCode::segments,
                    "segment '" + s.path + "' has no video stream: is it a framepipe segment?");
    const auto& stream = streams->front();
    if (!stream.is_object())
        throw Error(ExitCode::segments, "cannot read segment '" + s.path +
                                            "': ffprobe's report lists a stream that is not a "
                                            "JSON object (is --ffprobe really ffprobe?)");
    for (const auto& [key, label] : kCompared)
        s.properties.emplace_back(label, text_of(stream.value(key, nlohmann::json())));
    s.frames = count(stream, "nb_read_packets").value_or(0);
    s.index_frames = count(stream, "nb_frames");
    const auto format = doc.find("format");
    if (format == doc.end() || !format->is_object())
        return s;
    if (auto d = format->find("duration"); d != format->end() && d->is_string())
        try {
            s.duration = std::stod(d->get<std::string>());
        } catch (const std::exception&) {
        }
    const auto tags = format->find("tags");
    if (tags == format->end() || !tags->is_object())
        return s;
    // Matroska upper-cases tag names when it reads them back.
    for (const auto& [key, value] : tags->items())
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
    // All from their own MP4/MOV index, or all from ffprobe: the two describe a stream in their
    // own words, so segments are only ever compared with segments read the same way.
    std::vector<SegmentInfo> infos;
    for (const auto& path : paths) {
        auto info = read_mp4_segment(path);
        if (!info)
            break;
        infos.push_back(std::move(*info));
    }
    if (infos.size() == paths.size())
        return infos;
    infos.clear();
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
