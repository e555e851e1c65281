// Remembers which encoders an ffmpeg binary has, per binary, in the user's cache directory.
// Asking ffmpeg costs a process start (50-70 ms), more than framepipe's whole start-up, while the
// answer only changes when the binary does. With it remembered, every preset's encoder can be
// checked before any input is read, libx264 included: the default preset on an LGPL build
// (conda-forge's, Fedora's ffmpeg-free) then fails before it has taken the user's first frames.
#pragma once

#include "ffmpeg_encoders.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe {

// Where framepipe keeps its cache: $XDG_CACHE_HOME/framepipe, else $HOME/.cache/framepipe.
// Nothing when neither gives an absolute path (the XDG rule for relative ones is to ignore them).
std::optional<std::filesystem::path> cache_directory(const char* xdg_cache_home, const char* home);

// What tells one ffmpeg binary from another, or from itself after an upgrade: its resolved path,
// size, modification time, inode and device. Nothing when the file cannot be examined.
std::optional<std::string> ffmpeg_identity(const std::filesystem::path& ffmpeg);

// The cache file's text, and back. Parsing gives nothing unless the text was written for this
// very identity by this format version, so a stale or foreign file is never believed.
std::string format_encoder_cache(std::string_view identity, const EncoderSet& encoders);
std::optional<EncoderSet> parse_encoder_cache(std::string_view text, std::string_view identity);

class EncoderCache {
  public:
    // No directory, or no identity: a cache that remembers nothing.
    EncoderCache(std::optional<std::filesystem::path> directory,
                 const std::filesystem::path& ffmpeg);
    // The cache directory from the environment.
    static EncoderCache for_ffmpeg(const std::filesystem::path& ffmpeg);

    std::optional<EncoderSet> load() const;
    // Best effort: a cache that cannot be written (read-only home, full disk) only costs the
    // next run a question to ffmpeg. Written to a temporary name and renamed into place, so a
    // concurrent run reads the old file or the new one, never half of one. Entries of binaries
    // that no longer exist are removed on the way.
    void store(const EncoderSet& encoders) const;

    const std::optional<std::filesystem::path>& file() const { return file_; }

  private:
    std::optional<std::string> identity_;
    std::optional<std::filesystem::path> file_;
};

// This ffmpeg's encoders: as remembered when the binary is unchanged (no process started), else
// asked (list_ffmpeg_encoders) and remembered. EncoderListing::cached says which.
EncoderListing cached_ffmpeg_encoders(const std::filesystem::path& ffmpeg);
// Asks ffmpeg even when an answer is remembered, and remembers the new one.
EncoderListing fresh_ffmpeg_encoders(const std::filesystem::path& ffmpeg);

} // namespace framepipe
