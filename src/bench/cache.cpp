#include "bench/cache.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace framepipe::bench {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kFnvPrime = 1099511628211ull;
// 2: VMAF where measured.
constexpr int kFormatVersion = 2;

} // namespace

std::uint64_t hash_text(std::string_view text, std::uint64_t seed) {
    for (unsigned char c : text)
        seed = (seed ^ c) * kFnvPrime;
    return seed;
}

std::uint64_t hash_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> buffer(1 << 20);
    std::uint64_t h = 14695981039346656037ull;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        h = hash_text(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())), h);
    }
    return h;
}

std::string preset_fingerprint(const Preset& p) {
    nlohmann::json j{{"encoder", p.encoder},       {"args", p.args},
                     {"input_args", p.input_args}, {"filters", p.filters},
                     {"pix_fmt", p.pix_fmt},       {"color_range", p.color_range},
                     {"containers", p.containers}};
    return j.dump();
}

std::string cache_key(const CacheKeyParts& k) {
    nlohmann::json j{{"version", kFormatVersion},  {"content", k.content_hash},
                     {"format", k.content_format}, {"preset", k.preset},
                     {"ffmpeg", k.ffmpeg},         {"framepipe", k.framepipe},
                     {"machine", k.machine}};
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash_text(j.dump())));
    return hex;
}

std::string format_cached_result(const PresetResult& r) {
    nlohmann::json j{{"version", kFormatVersion}, {"preset", r.preset},
                     {"encoder", r.encoder},      {"web", r.web},
                     {"frames", r.frames},        {"fps_in", r.fps_in},
                     {"seconds", r.seconds},      {"bytes", r.bytes}};
    const auto& q = *r.quality;
    // Infinite PSNR (identical frames) is written as a string: JSON has no infinity.
    auto number = [](double v) {
        return std::isinf(v) ? nlohmann::json("inf") : nlohmann::json(v);
    };
    j["quality"] = {{"ssim_mean", q.ssim_mean},
                    {"ssim_worst", q.ssim_worst},
                    {"psnr_mean", number(q.psnr_mean)},
                    {"psnr_worst", number(q.psnr_worst)},
                    {"frames_compared", q.frames_compared},
                    {"decoded_as", q.decoded_as}};
    if (q.vmaf_mean && q.vmaf_worst) {
        j["quality"]["vmaf_mean"] = *q.vmaf_mean;
        j["quality"]["vmaf_worst"] = *q.vmaf_worst;
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// A number of the cache file that was written from a finite double, or a whole count. Anything
// else (1e400 reads as infinity, 1e30 does not fit 64 bits: converting it is undefined) is not a
// file this version wrote.
struct NotWritten {};

double finite(const nlohmann::json& v) {
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        throw NotWritten{};
    return v.get<double>();
}

std::uint64_t count(const nlohmann::json& v) {
    if (!v.is_number_unsigned())
        throw NotWritten{};
    return v.get<std::uint64_t>();
}

// Infinite PSNR (identical frames) is written as the string "inf".
double psnr(const nlohmann::json& v) {
    if (v == "inf")
        return std::numeric_limits<double>::infinity();
    return finite(v);
}

} // namespace

std::optional<PresetResult> parse_cached_result(std::string_view text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    // Not value("version", 0): it throws on a version that is not a number.
    if (j.is_discarded() || !j.is_object() || !j.contains("version") ||
        j["version"] != kFormatVersion)
        return std::nullopt;
    try {
        PresetResult r;
        r.preset = j.at("preset").get<std::string>();
        r.encoder = j.at("encoder").get<std::string>();
        r.web = j.at("web").get<bool>();
        r.outcome = Outcome::encoded;
        r.frames = count(j.at("frames"));
        r.fps_in = finite(j.at("fps_in"));
        r.seconds = finite(j.at("seconds"));
        r.bytes = count(j.at("bytes"));
        const auto& q = j.at("quality");
        r.quality = Quality{finite(q.at("ssim_mean")),
                            finite(q.at("ssim_worst")),
                            psnr(q.at("psnr_mean")),
                            psnr(q.at("psnr_worst")),
                            count(q.at("frames_compared")),
                            q.at("decoded_as").get<std::string>(),
                            std::nullopt,
                            std::nullopt};
        if (q.contains("vmaf_mean")) {
            r.quality->vmaf_mean = finite(q.at("vmaf_mean"));
            r.quality->vmaf_worst = finite(q.at("vmaf_worst"));
        }
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    } catch (const NotWritten&) {
        return std::nullopt;
    }
}

std::optional<PresetResult> ResultCache::load(const std::string& key) const {
    if (!dir_)
        return std::nullopt;
    std::ifstream in(*dir_ / (key + ".json"));
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return parse_cached_result(text.str());
}

void ResultCache::store(const std::string& key, const PresetResult& r) const {
    if (!dir_ || r.outcome != Outcome::encoded || !r.quality)
        return;
    std::error_code ec;
    fs::create_directories(*dir_, ec);
    // Written under a temporary name and renamed, so a concurrent bench never reads half a file.
    const auto final_name = *dir_ / (key + ".json");
    auto temp = final_name;
    temp += ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(temp);
        out << format_cached_result(r);
        if (!out)
            return;
    }
    fs::rename(temp, final_name, ec);
    if (ec)
        fs::remove(temp, ec);
}

} // namespace framepipe::bench
