#include "encoder_cache.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace framepipe {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kHeader = "framepipe encoder cache 1";
// The last line: a file cut short (a full disk) lacks it and is not believed.
constexpr std::string_view kTrailer = "end";
// Far above any real listing (a few KB); a bigger file is not one framepipe wrote.
constexpr std::size_t kMaxFileBytes = 1 << 20;

// A stable name for each ffmpeg path (FNV-1a), so an upgraded binary replaces its old entry
// instead of adding files.
std::string path_key(const std::string& path) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : path) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

// The binary an identity line names (what follows " path ", which comes last).
std::optional<std::string> identity_path(std::string_view identity) {
    auto at = identity.find(" path ");
    if (at == std::string_view::npos)
        return std::nullopt;
    return std::string(identity.substr(at + 6));
}

// Entries for binaries that are gone (a wrapper script in a temporary directory, an uninstalled
// build) would otherwise pile up; each miss, which is rare, sweeps them.
void forget_vanished_binaries(const fs::path& directory) {
    std::error_code ec;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!name.starts_with("encoders-") || !name.ends_with(".txt"))
            continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::string header, identity;
        if (!std::getline(in, header) || !std::getline(in, identity) || header != kHeader)
            continue;
        auto binary = identity_path(identity);
        std::error_code missing;
        if (binary && !fs::exists(*binary, missing) && !missing)
            fs::remove(it->path(), missing);
    }
}

std::string_view next_line(std::string_view& text) {
    auto eol = text.find('\n');
    auto line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    return line;
}

} // namespace

std::optional<fs::path> cache_directory(const char* xdg_cache_home, const char* home) {
    if (xdg_cache_home != nullptr && xdg_cache_home[0] == '/')
        return fs::path(xdg_cache_home) / "framepipe";
    if (home != nullptr && home[0] == '/')
        return fs::path(home) / ".cache" / "framepipe";
    return std::nullopt;
}

std::optional<std::string> ffmpeg_identity(const fs::path& ffmpeg) {
    std::error_code ec;
    fs::path resolved = fs::canonical(ffmpeg, ec);
    struct stat st {};
    if (ec || ::stat(resolved.c_str(), &st) != 0)
        return std::nullopt;
    std::string path = resolved.string();
    if (path.find('\n') != std::string::npos) // the identity is one line of the cache file
        return std::nullopt;
    return "size " + std::to_string(st.st_size) + " mtime " + std::to_string(st.st_mtim.tv_sec) +
           "." + std::to_string(st.st_mtim.tv_nsec) + " inode " + std::to_string(st.st_ino) +
           " device " + std::to_string(st.st_dev) + " path " + path;
}

std::string format_encoder_cache(std::string_view identity, const EncoderSet& encoders) {
    std::string text;
    text.append(kHeader).append("\n").append(identity).append("\n");
    for (const auto& name : encoders)
        text.append(name).append("\n");
    text.append(kTrailer).append("\n");
    return text;
}

std::optional<EncoderSet> parse_encoder_cache(std::string_view text, std::string_view identity) {
    if (next_line(text) != kHeader || next_line(text) != identity)
        return std::nullopt;
    EncoderSet names;
    while (!text.empty()) {
        auto line = next_line(text);
        if (line == kTrailer)
            return text.empty() ? std::optional<EncoderSet>(std::move(names)) : std::nullopt;
        if (line.empty() || line.find_first_of(" \t") != std::string_view::npos)
            return std::nullopt;
        names.emplace(line);
    }
    return std::nullopt; // no trailer: cut short
}

EncoderCache::EncoderCache(std::optional<fs::path> directory, const fs::path& ffmpeg)
    : identity_(ffmpeg_identity(ffmpeg)) {
    if (directory && identity_)
        file_ = *directory / ("encoders-" + path_key(ffmpeg.string()) + ".txt");
}

EncoderCache EncoderCache::for_ffmpeg(const fs::path& ffmpeg) {
    return EncoderCache(cache_directory(std::getenv("XDG_CACHE_HOME"), std::getenv("HOME")),
                        ffmpeg);
}

std::optional<EncoderSet> EncoderCache::load() const {
    if (!file_)
        return std::nullopt;
    std::error_code ec;
    auto size = fs::file_size(*file_, ec);
    if (ec || size > kMaxFileBytes)
        return std::nullopt;
    std::ifstream in(*file_, std::ios::binary);
    std::string text(size, '\0');
    // A file replaced between the size and the read comes out short or cut: not believed.
    if (!in.read(text.data(), static_cast<std::streamsize>(size)))
        return std::nullopt;
    return parse_encoder_cache(text, *identity_);
}

void EncoderCache::store(const EncoderSet& encoders) const {
    if (!file_)
        return;
    std::error_code ec;
    fs::create_directories(file_->parent_path(), ec);
    if (ec)
        return;
    fs::path temporary = *file_;
    temporary += ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << format_encoder_cache(*identity_, encoders);
        out.close();
        if (!out) {
            fs::remove(temporary, ec);
            return;
        }
    }
    fs::rename(temporary, *file_, ec);
    if (ec)
        fs::remove(temporary, ec);
    forget_vanished_binaries(file_->parent_path());
}

namespace {

EncoderListing ask_and_remember(const fs::path& ffmpeg, const EncoderCache& cache) {
    auto listing = list_ffmpeg_encoders(ffmpeg);
    if (listing.encoders)
        cache.store(*listing.encoders);
    return listing;
}

} // namespace

EncoderListing cached_ffmpeg_encoders(const fs::path& ffmpeg) {
    auto cache = EncoderCache::for_ffmpeg(ffmpeg);
    if (auto known = cache.load())
        return {std::move(known), 0, true};
    return ask_and_remember(ffmpeg, cache);
}

EncoderListing fresh_ffmpeg_encoders(const fs::path& ffmpeg) {
    return ask_and_remember(ffmpeg, EncoderCache::for_ffmpeg(ffmpeg));
}

} // namespace framepipe
