// The remembered `ffmpeg -encoders` answer: where it lives, what makes it stale, and that a file
// framepipe did not write for this very binary is never believed.
#include "encoder_cache.h"
#include "test_support.h"

#include "catch.h"
#include <fcntl.h>
#include <sys/stat.h>

using namespace framepipe;
using framepipe::testing::read_file;
using framepipe::testing::ScopedEnv;
using framepipe::testing::TempDir;
using framepipe::testing::write_file;
namespace fs = std::filesystem;

namespace {

void set_mtime(const fs::path& path, long seconds) {
    timespec times[2] = {{seconds, 0}, {seconds, 0}};
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

} // namespace

TEST_CASE("the cache lives under XDG_CACHE_HOME, else under ~/.cache") {
    CHECK(cache_directory("/x/cache", "/home/u") == fs::path("/x/cache/framepipe"));
    CHECK(cache_directory(nullptr, "/home/u") == fs::path("/home/u/.cache/framepipe"));
    // The XDG rule: a relative path is invalid and ignored.
    CHECK(cache_directory("rel/cache", "/home/u") == fs::path("/home/u/.cache/framepipe"));
    CHECK(cache_directory("", "/home/u") == fs::path("/home/u/.cache/framepipe"));
    CHECK_FALSE(cache_directory(nullptr, nullptr));
    CHECK_FALSE(cache_directory("", "relative-home"));
}

TEST_CASE("a cache file is believed only for the identity it was written for") {
    const std::string id = "size 10 mtime 1.2 inode 3 device 4 path /usr/bin/ffmpeg";
    const EncoderSet encoders{"libvpx-vp9", "libx264", "prores_ks"};
    const auto text = format_encoder_cache(id, encoders);
    CHECK(parse_encoder_cache(text, id) == encoders);
    CHECK(parse_encoder_cache(format_encoder_cache(id, {}), id) == EncoderSet{});

    CHECK_FALSE(parse_encoder_cache(text, id + "x"));                      // another binary
    CHECK_FALSE(parse_encoder_cache("", id));                              // empty file
    CHECK_FALSE(parse_encoder_cache(text.substr(0, text.size() - 4), id)); // cut short
    CHECK_FALSE(parse_encoder_cache(text + "more\n", id));                 // not ours after the end
    auto other_version = text;
    other_version.replace(other_version.find(" 1\n"), 3, " 2\n");
    CHECK_FALSE(parse_encoder_cache(other_version, id));
    auto odd_name = text;
    odd_name.replace(odd_name.find("libx264"), 7, "lib x264");
    CHECK_FALSE(parse_encoder_cache(odd_name, id));
}

TEST_CASE("a binary's identity changes with its contents and its time, not with a symlink") {
    TempDir dir;
    auto binary = dir / "ffmpeg";
    write_file(binary, "one");
    set_mtime(binary, 1'000'000'000);
    auto first = ffmpeg_identity(binary);
    REQUIRE(first);
    CHECK(first->find("path " + fs::canonical(binary).string()) != std::string::npos);

    fs::create_symlink(binary, dir / "link");
    CHECK(ffmpeg_identity(dir / "link") == first);

    set_mtime(binary, 1'000'000'001); // an upgrade that kept the size
    auto touched = ffmpeg_identity(binary);
    CHECK(touched != first);
    write_file(binary, "two!"); // and one that did not
    set_mtime(binary, 1'000'000'001);
    CHECK(ffmpeg_identity(binary) != touched);

    CHECK_FALSE(ffmpeg_identity(dir / "missing"));
}

TEST_CASE("the cache remembers per binary and forgets when the binary changes") {
    TempDir dir;
    auto binary = dir / "ffmpeg";
    write_file(binary, "x");
    const EncoderSet encoders{"libx264", "libx265"};

    EncoderCache cache(dir / "cache" / "framepipe", binary);
    REQUIRE(cache.file());
    CHECK_FALSE(cache.load());
    cache.store(encoders); // creates the directory
    CHECK(EncoderCache(dir / "cache" / "framepipe", binary).load() == encoders);
    CHECK(fs::directory_iterator(dir / "cache" / "framepipe")->path() == *cache.file());

    // Another binary has its own entry; the same one, rebuilt, is asked again.
    auto other = dir / "ffmpeg-other";
    write_file(other, "y");
    CHECK_FALSE(EncoderCache(dir / "cache" / "framepipe", other).load());
    set_mtime(binary, 1'000'000'000);
    CHECK_FALSE(EncoderCache(dir / "cache" / "framepipe", binary).load());
}

TEST_CASE("storing an entry sweeps out those of binaries that no longer exist") {
    TempDir dir;
    const auto cache_dir = dir / "cache";
    auto kept = dir / "ffmpeg";
    auto removed = dir / "wrapper-in-a-temporary-directory";
    write_file(kept, "x");
    write_file(removed, "y");
    EncoderCache(cache_dir, kept).store({"libx264"});
    EncoderCache(cache_dir, removed).store({"libx264"});
    write_file(cache_dir / "notes.txt", "not framepipe's");
    auto count = [&] {
        return std::distance(fs::directory_iterator(cache_dir), fs::directory_iterator());
    };
    REQUIRE(count() == 3);

    fs::remove(removed);
    auto third = dir / "ffmpeg-7";
    write_file(third, "z");
    EncoderCache(cache_dir, third).store({"libx265"});
    CHECK(count() == 3); // the removed binary's entry went, the third's came
    CHECK(EncoderCache(cache_dir, kept).load() == EncoderSet{"libx264"});
    CHECK(EncoderCache(cache_dir, third).load() == EncoderSet{"libx265"});
    CHECK(fs::exists(cache_dir / "notes.txt"));
}

TEST_CASE("a cache that cannot be used is one that remembers nothing, without failing") {
    TempDir dir;
    auto binary = dir / "ffmpeg";
    write_file(binary, "x");

    EncoderCache nowhere(std::nullopt, binary);
    CHECK_FALSE(nowhere.file());
    nowhere.store({"libx264"});
    CHECK_FALSE(nowhere.load());

    write_file(dir / "blocked", "a file where the directory should be");
    EncoderCache blocked(dir / "blocked" / "framepipe", binary);
    blocked.store({"libx264"});
    CHECK_FALSE(blocked.load());
    CHECK(read_file(dir / "blocked") == "a file where the directory should be");

    CHECK_FALSE(EncoderCache(dir.path(), dir / "no-such-ffmpeg").file());
}

TEST_CASE("asking a cached ffmpeg starts no process until the binary changes") {
    TempDir dir;
    // A copy of the fake, so its time can be changed.
    auto ffmpeg = dir / "ffmpeg";
    fs::copy_file(FAKE_FFMPEG, ffmpeg);
    fs::permissions(ffmpeg, fs::perms::owner_all);
    ScopedEnv env;
    env.set("XDG_CACHE_HOME", (dir / "cache").string());
    env.set("FAKE_ENCODERS", "libx264 libvpx-vp9");
    env.set("FAKE_CALLS", (dir / "calls").string());
    auto calls = [&] { return read_file(dir / "calls"); };

    auto first = cached_ffmpeg_encoders(ffmpeg);
    CHECK_FALSE(first.cached);
    REQUIRE(first.encoders);
    CHECK(*first.encoders == EncoderSet{"libvpx-vp9", "libx264"});
    CHECK(calls() == "encoders\n");

    auto second = cached_ffmpeg_encoders(ffmpeg);
    CHECK(second.cached);
    CHECK(second.encoders == first.encoders);
    CHECK(calls() == "encoders\n");

    // A fresh answer is asked for even when one is remembered, and replaces it.
    env.set("FAKE_ENCODERS", "libx264");
    CHECK(fresh_ffmpeg_encoders(ffmpeg).encoders == EncoderSet{"libx264"});
    CHECK(calls() == "encoders\nencoders\n");
    CHECK(cached_ffmpeg_encoders(ffmpeg).encoders == EncoderSet{"libx264"});

    set_mtime(ffmpeg, 1'000'000'000);
    CHECK_FALSE(cached_ffmpeg_encoders(ffmpeg).cached);
    CHECK(calls() == "encoders\nencoders\nencoders\n");

    // An answer that is not an encoder list is not remembered.
    env.unset("FAKE_ENCODERS");
    set_mtime(ffmpeg, 1'000'000'002);
    CHECK_FALSE(cached_ffmpeg_encoders(ffmpeg).encoders);
    CHECK_FALSE(cached_ffmpeg_encoders(ffmpeg).encoders);
    CHECK(calls() == "encoders\nencoders\nencoders\nencoders\nencoders\n");
}
