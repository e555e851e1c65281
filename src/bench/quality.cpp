#include "bench/quality.h"

#include "bench/child_run.h"
#include "bench/vmaf.h"
#include "error.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace framepipe::bench {

namespace fs = std::filesystem;

namespace {

// The number after `key` in `line` ("All:" -> 0.748475); from_chars reads "inf" too. Not "nan":
// a NaN score compares false both ways, so it would neither meet nor miss --min-ssim, which the
// recommendation and --tune's search take for granted.
std::optional<double> number_after(std::string_view line, std::string_view key) {
    auto at = line.find(key);
    if (at == std::string_view::npos)
        return std::nullopt;
    auto rest = line.substr(at + key.size());
    double value = 0;
    auto [stop, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc() || std::isnan(value))
        return std::nullopt;
    return value;
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// swscale's names for the matrices ffprobe reports.
std::string matrix_for(const std::string& colour_space) {
    static const std::map<std::string, std::string, std::less<>> names{
        {"bt709", "bt709"},     {"bt470bg", "bt601"},
        {"smpte170m", "bt601"}, {"smpte240m", "smpte240m"},
        {"bt2020nc", "bt2020"}, {"bt2020c", "bt2020"},
        {"fcc", "fcc"}};
    auto found = names.find(colour_space);
    return found == names.end() ? "bt601" : found->second;
}

fs::path find_ffprobe(const fs::path& ffmpeg) {
    if (ffmpeg.has_parent_path()) {
        auto beside = ffmpeg.parent_path() / "ffprobe";
        if (::access(beside.c_str(), X_OK) == 0)
            return beside;
    }
    return find_program("ffprobe");
}

ColourTags probe_tags(const fs::path& ffmpeg, const fs::path& output, const fs::path& work_dir) {
    auto ffprobe = find_ffprobe(ffmpeg);
    if (ffprobe.empty())
        throw Error(ExitCode::ffmpeg_unusable,
                    "cannot find ffprobe beside ffmpeg or on PATH, needed to read the colour tags "
                    "of each output: install it with ffmpeg (apt-get install ffmpeg)");
    const auto answer = work_dir / "tags.txt";
    auto run = run_child({ffprobe,
                          {"-v", "error", "-select_streams", "v:0", "-show_entries",
                           "stream=pix_fmt,color_space,color_range", "-of", "default=nw=1", "-o",
                           answer.string(), "file:" + output.string()},
                          std::nullopt,
                          true});
    if (!run.status.success())
        throw Error(ExitCode::ffmpeg_failed,
                    "ffprobe cannot read '" + output.string() + "' (" + run.status.describe() +
                        (run.last_lines.empty() ? ")" : "): " + run.last_lines.back()));
    return parse_colour_tags(read_text(answer));
}

} // namespace

ColourTags parse_colour_tags(std::string_view text) {
    std::map<std::string, std::string, std::less<>> fields;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);)
        if (auto eq = line.find('='); eq != std::string::npos)
            fields[line.substr(0, eq)] = line.substr(eq + 1);
    ColourTags tags;
    const auto& pix_fmt = fields["pix_fmt"];
    tags.yuv = pix_fmt.starts_with("yuv") || pix_fmt.starts_with("nv") ||
               pix_fmt.starts_with("p01") || pix_fmt.starts_with("p21");
    tags.matrix = matrix_for(fields["color_space"]);
    // yuvj formats are full range whatever the tag says (ffmpeg's MJPEG convention).
    tags.range = fields["color_range"] == "pc" || pix_fmt.starts_with("yuvj") ? "pc" : "tv";
    return tags;
}

std::vector<std::string> quality_args(const Captured& source, const fs::path& output,
                                      const ColourTags& tags, const QualityLogs& logs) {
    const std::string size = to_string(source.size);
    const std::string wh =
        std::to_string(source.size.width) + ":" + std::to_string(source.size.height);
    // Both sides become gbrp frames numbered 0, 1, 2... in the same time base, so the filters pair
    // frame n with frame n whatever the container did to timestamps (GIF's centiseconds).
    // (One frame per tick of the source's own rate, so the null muxer sees steady timestamps.)
    const std::string align = "settb=" + std::to_string(source.rate.den) + "/" +
                              std::to_string(source.rate.num) + ",setpts=N";
    std::string decode = "scale=";
    if (tags.yuv)
        decode += "in_color_matrix=" + tags.matrix + ":in_range=" + tags.range + ":";
    decode += "flags=accurate_rnd+full_chroma_int,format=gbrp,crop=" + wh + ":0:0," + align;
    // Each filter passes its first input on, so one chain scores the decoded frames against as
    // many copies of the source as there are metrics.
    std::string graph = "[0:v]format=gbrp," + align + (logs.vmaf_log ? ",split=3" : ",split") +
                        "[ref1][ref2]" + (logs.vmaf_log ? "[ref3]" : "") + ";[1:v]" + decode +
                        "[dec];[dec][ref1]ssim=stats_file=" + logs.ssim_stats.string() +
                        "[seen];[seen][ref2]psnr";
    if (logs.vmaf_log)
        graph += "[scored];" + vmaf_filters("scored", "ref3", *logs.vmaf_log, logs.vmaf_threads);
    return {"-nostdin",
            "-hide_banner",
            "-nostats",
            "-loglevel",
            "info",
            "-f",
            "rawvideo",
            "-pix_fmt",
            std::string(source.format->ffmpeg_name),
            "-s",
            size,
            "-r",
            to_string(source.rate),
            "-i",
            "file:" + source.file.string(),
            "-i",
            "file:" + output.string(),
            "-filter_complex",
            graph,
            "-f",
            "null",
            "-"};
}

std::optional<double> parse_ssim_all(std::string_view line) {
    if (line.find("] SSIM ") == std::string_view::npos)
        return std::nullopt;
    return number_after(line, " All:");
}

std::optional<PsnrSummary> parse_psnr_summary(std::string_view line) {
    if (line.find("] PSNR ") == std::string_view::npos)
        return std::nullopt;
    auto average = number_after(line, " average:");
    auto min = number_after(line, " min:");
    if (!average || !min)
        return std::nullopt;
    return PsnrSummary{*average, *min};
}

SsimFrames parse_ssim_stats(std::string_view text) {
    SsimFrames out;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        if (auto all = number_after(line, " All:")) {
            out.worst = out.frames == 0 ? *all : std::min(out.worst, *all);
            ++out.frames;
        }
    }
    return out;
}

Quality measure_quality(const fs::path& ffmpeg, const Captured& source, const fs::path& output,
                        const fs::path& work_dir, bool vmaf) {
    const auto tags = probe_tags(ffmpeg, output, work_dir);
    QualityLogs logs{work_dir / "ssim.log", std::nullopt, std::thread::hardware_concurrency()};
    if (vmaf)
        logs.vmaf_log = work_dir / "vmaf.json";
    std::optional<double> ssim;
    std::optional<PsnrSummary> psnr;
    auto run = run_child({ffmpeg, quality_args(source, output, tags, logs), std::nullopt, true});
    // The filters' summaries are the last lines ffmpeg prints.
    for (const auto& line : run.tail) {
        if (auto s = parse_ssim_all(line))
            ssim = s;
        if (auto p = parse_psnr_summary(line))
            psnr = p;
    }
    if (!run.status.success() || !ssim || !psnr)
        throw Error(ExitCode::ffmpeg_failed,
                    "ffmpeg could not compare '" + output.string() + "' with the source (" +
                        run.status.describe() +
                        (run.last_lines.empty() ? ")" : "): " + run.last_lines.back()));
    auto frames = parse_ssim_stats(read_text(logs.ssim_stats));
    Quality q{*ssim,        frames.worst,  psnr->average,
              psnr->min,    frames.frames, tags.yuv ? tags.matrix + " " + tags.range : "rgb",
              std::nullopt, std::nullopt};
    if (logs.vmaf_log) {
        auto score = parse_vmaf_log(read_text(*logs.vmaf_log));
        if (!score)
            throw Error(ExitCode::ffmpeg_failed, "ffmpeg's libvmaf left no readable score in '" +
                                                     logs.vmaf_log->string() + "' for '" +
                                                     output.string() + "'");
        q.vmaf_mean = score->mean;
        q.vmaf_worst = score->worst;
    }
    return q;
}

} // namespace framepipe::bench
