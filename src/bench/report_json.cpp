#include "bench/report_json.h"

#include "bench/conclusion.h"
#include "bench/recommend.h"
#include "bench/tune.h"
#include "bench/vmaf.h"
#include "version.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <sys/utsname.h>
#include <thread>

namespace framepipe::bench {

namespace {

// JSON has no infinity: an identical output's PSNR is null, with "lossless": true beside it.
nlohmann::ordered_json finite_or_null(double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json result_json(const PresetResult& r, const Constraints& c,
                                   std::uint64_t captured) {
    nlohmann::ordered_json j;
    j["preset"] = r.preset;
    j["encoder"] = r.encoder;
    j["web"] = r.web;
    j["outcome"] = r.outcome == Outcome::encoded       ? "encoded"
                   : r.outcome == Outcome::unavailable ? "unavailable"
                                                       : "failed";
    if (r.outcome != Outcome::encoded || !r.quality) {
        j["reason"] = r.reason;
        return j;
    }
    j["frames"] = r.frames;
    j["sample"] = r.frames < captured; // a slow encoder, measured on the first frames only
    j["encode_seconds"] = r.seconds;
    j["encode_fps"] = r.encode_fps();
    j["speed"] = r.speed();
    j["bytes"] = r.bytes;
    j["bits_per_second"] = r.bits_per_second();
    j["bytes_per_minute"] = r.bytes_per_minute();
    j["ssim_mean"] = r.quality->ssim_mean;
    j["ssim_worst"] = r.quality->ssim_worst;
    j["psnr_mean_db"] = finite_or_null(r.quality->psnr_mean);
    j["psnr_worst_db"] = finite_or_null(r.quality->psnr_worst);
    j["lossless"] = std::isinf(r.quality->psnr_worst);
    j["frames_compared"] = r.quality->frames_compared;
    if (r.quality->vmaf_mean && r.quality->vmaf_worst) {
        j["vmaf_mean"] = *r.quality->vmaf_mean;
        j["vmaf_worst"] = *r.quality->vmaf_worst;
    }
    j["decoded_as"] = r.quality->decoded_as;
    j["cached"] = r.cached;
    if (has_constraints(c))
        j["failed_constraints"] = failed_constraints(r, c);
    return j;
}

nlohmann::ordered_json tune_json(const TuneResult& t, const Constraints& c,
                                 std::uint64_t captured) {
    nlohmann::ordered_json j;
    j["preset"] = t.base.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t.base);
    j["target_ssim"] = t.target;
    j["outcome"] = tune_outcome_name(t.outcome);
    j["message"] = tune_headline(t);
    j["preset_crf"] =
        t.probes.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t.base_crf);
    j["crf"] = t.outcome == TuneOutcome::found ? nlohmann::ordered_json(t.probes[*t.chosen].crf)
                                               : nlohmann::ordered_json(nullptr);
    j["probes"] = nlohmann::ordered_json::array();
    for (const auto& p : t.probes)
        j["probes"].push_back({{"crf", p.crf},
                               {"ssim_mean", p.result.quality->ssim_mean},
                               {"bytes", p.result.bytes},
                               {"bytes_per_minute", p.result.bytes_per_minute()},
                               {"cached", p.result.cached}});
    j["result"] = t.outcome == TuneOutcome::found ? result_json(*t.chosen_result(), c, captured)
                                                  : nlohmann::ordered_json(nullptr);
    return j;
}

} // namespace

std::string cpu_model(std::string_view cpuinfo) {
    while (!cpuinfo.empty()) {
        auto eol = cpuinfo.find('\n');
        auto line = cpuinfo.substr(0, eol);
        cpuinfo.remove_prefix(eol == std::string_view::npos ? cpuinfo.size() : eol + 1);
        if (!line.starts_with("model name"))
            continue;
        // "model name\t: Intel(R) ..."; a line without a value (no ": ") names nothing.
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            return "";
        auto value = line.substr(colon + 1);
        return std::string(value.substr(value.starts_with(' ') ? 1 : 0));
    }
    return "";
}

Provenance current_provenance(const std::string& ffmpeg_path, const std::string& version_text) {
    Provenance p;
    p.ffmpeg_path = ffmpeg_path;
    // "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers"
    p.ffmpeg_version = version_text.substr(0, version_text.find('\n'));
    p.ffmpeg_version = p.ffmpeg_version.substr(0, p.ffmpeg_version.find(" Copyright"));
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::ostringstream text;
    text << cpuinfo.rdbuf();
    p.cpu = cpu_model(text.str());
    p.cores = std::thread::hardware_concurrency();
    struct utsname u {};
    if (::uname(&u) == 0)
        p.system = std::string(u.sysname) + " " + u.release + " " + u.machine;
    return p;
}

nlohmann::ordered_json bench_json(const Captured& content, const std::vector<PresetResult>& results,
                                  const Constraints& c, const Conclusion& conclusion,
                                  const Provenance& where, bool vmaf) {
    const auto& recommended = conclusion.recommended;
    nlohmann::ordered_json j;
    j["framepipe"] = FRAMEPIPE_VERSION;
    j["machine"] = {{"cpu", where.cpu}, {"cores", where.cores}, {"system", where.system}};
    j["ffmpeg"] = {{"path", where.ffmpeg_path}, {"version", where.ffmpeg_version}};
    j["content"] = {{"source", content.content},
                    {"size", to_string(content.size)},
                    {"pix_fmt", content.format->name},
                    {"fps", to_string(content.rate)},
                    {"frames", content.frames}};
    nlohmann::ordered_json constraints = nlohmann::ordered_json::object();
    if (c.max_bytes_per_minute)
        constraints["max_bytes_per_minute"] = *c.max_bytes_per_minute;
    if (c.min_speed)
        constraints["min_speed"] = *c.min_speed;
    if (c.min_ssim)
        constraints["min_ssim"] = *c.min_ssim;
    constraints["web"] = c.web;
    j["constraints"] = constraints;
    j["vmaf"] = vmaf ? std::string("libvmaf, default model") : std::string(kVmafUnavailable);
    j["presets"] = nlohmann::ordered_json::array();
    for (const auto& r : results)
        j["presets"].push_back(result_json(r, c, content.frames));
    j["recommended"] = recommended ? nlohmann::ordered_json(results[*recommended].preset)
                                   : nlohmann::ordered_json(nullptr);
    if (conclusion.tune)
        j["tune"] = tune_json(*conclusion.tune, c, content.frames);
    if (conclusion.saved)
        j["saved_preset"] = {{"name", conclusion.saved->name},
                             {"file", conclusion.saved->file.string()}};
    return j;
}

} // namespace framepipe::bench
