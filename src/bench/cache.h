// Bench results remembered by what determines them: the captured frames' content, the preset's
// encoding fields, and the identity of ffmpeg, of framepipe and of the machine. A second bench of
// the same frames is then instant; anything that could change a number changes the key.
#pragma once

#include "bench/result.h"
#include "preset.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe::bench {

// FNV-1a, 64 bits, of a file's bytes: no cryptography is needed to tell frames apart.
std::uint64_t hash_file(const std::filesystem::path& file);
std::uint64_t hash_text(std::string_view text, std::uint64_t seed = 14695981039346656037ull);

// The fields of a preset that decide the encode (not its name or description).
std::string preset_fingerprint(const Preset& preset);

struct CacheKeyParts {
    std::uint64_t content_hash = 0;
    std::string content_format; // size, pixel format, rate, frame count
    std::string preset;         // preset_fingerprint
    std::string ffmpeg;         // ffmpeg_identity
    std::string framepipe;      // its version and binary's identity
    std::string machine;        // CPU model and cores: speeds belong to a machine
};

// 16 hex digits.
std::string cache_key(const CacheKeyParts& parts);

// A result as the cache file's text, and back (nothing for text this version did not write).
std::string format_cached_result(const PresetResult& r);
std::optional<PresetResult> parse_cached_result(std::string_view text);

class ResultCache {
  public:
    explicit ResultCache(std::optional<std::filesystem::path> directory)
        : dir_(std::move(directory)) {}
    std::optional<PresetResult> load(const std::string& key) const;
    // Best effort: a cache that cannot be written costs time, never the run.
    void store(const std::string& key, const PresetResult& r) const;

  private:
    std::optional<std::filesystem::path> dir_;
};

} // namespace framepipe::bench
