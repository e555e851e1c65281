// The output file's life: an existing file is lost neither to a refused, failed or interrupted
// run nor to a disk that fails to flush; the temporary file never outlives a run it did not serve.
#include "error.h"
#include "output_file.h"
#include "test_support.h"

#include "catch.h"
#include <cerrno>
#include <string>

using namespace framepipe;
using framepipe::testing::read_file;
using framepipe::testing::TempDir;
using framepipe::testing::write_file;
namespace fs = std::filesystem;

namespace {

std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

int failing_sync(int) {
    errno = EIO;
    return -1;
}

int unsupported_sync(int) {
    errno = EINVAL;
    return -1;
}

} // namespace

TEST_CASE("a destination is checked before anything is written") {
    TempDir dir;
    write_file(dir / "old.mp4", "old");
    CHECK_THROWS_WITH(OutputFile(dir / "old.mp4", false),
                      "output '" + (dir / "old.mp4").string() +
                          "' already exists: pass -y/--overwrite to replace it, or choose another "
                          "name");
    CHECK_THROWS_WITH(OutputFile(dir.path(), true),
                      Catch::StartsWith("output '" + dir.path().string() + "' is a directory"));
    CHECK_THROWS_WITH(
        OutputFile(dir / "no/such/out.mp4", true),
        Catch::EndsWith("the directory '" + (dir / "no/such").string() + "' does not exist"));
    try {
        OutputFile(dir / "old.mp4", false);
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::output);
    }
    CHECK(read_file(dir / "old.mp4") == "old");
    CHECK(entries(dir.path()) == 1);
}

TEST_CASE("a finished video replaces the old file only at commit, and leaves nothing else") {
    TempDir dir;
    write_file(dir / "out.mp4", "old");
    OutputFile out(dir / "out.mp4", true);
    CHECK(out.temp_path().parent_path() == dir.path());
    CHECK(out.temp_path().filename().string().starts_with(".out.mp4.framepipe-"));
    CHECK_FALSE(out.direct());
    CHECK_FALSE(out.temp_has_data()); // created empty, before ffmpeg writes
    write_file(out.temp_path(), "new");
    CHECK(out.temp_has_data());
    CHECK(read_file(dir / "out.mp4") == "old");
    out.commit();
    CHECK(read_file(dir / "out.mp4") == "new");
    CHECK(entries(dir.path()) == 1);
}

TEST_CASE("an unfinished video is removed and the old file kept") {
    TempDir dir;
    write_file(dir / "out.mp4", "old");
    fs::path temp;
    {
        OutputFile out(dir / "out.mp4", true);
        temp = out.temp_path();
        write_file(temp, "half");
    } // neither committed nor kept: a failed run
    CHECK_FALSE(fs::exists(temp));
    CHECK(read_file(dir / "out.mp4") == "old");
}

TEST_CASE("a file that appears under the name while encoding is not replaced") {
    TempDir dir;
    OutputFile out(dir / "out.mp4", false);
    write_file(out.temp_path(), "new");
    write_file(dir / "out.mp4", "someone else's");
    CHECK_THROWS_WITH(out.commit(),
                      Catch::Contains("a file of that name appeared while encoding") &&
                          Catch::Contains("it was kept as '" + out.temp_path().string() + "'"));
    CHECK(read_file(dir / "out.mp4") == "someone else's");
    CHECK(read_file(out.temp_path()) == "new");
}

TEST_CASE("a failed fsync keeps the old file and sets the new video aside") {
    TempDir dir;
    write_file(dir / "out.mp4", "old");
    OutputFile out(dir / "out.mp4", true);
    write_file(out.temp_path(), "new");
    try {
        out.commit(failing_sync);
        FAIL("commit succeeded although the data could not be flushed");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::output);
        CHECK(std::string(e.what()) ==
              "could not flush the finished video to disk (Input/output error): '" +
                  (dir / "out.mp4").string() + "' was left as it was, and the video kept as '" +
                  out.temp_path().string() + "'; check the disk");
    }
    CHECK(read_file(dir / "out.mp4") == "old");
    CHECK(read_file(out.temp_path()) == "new");
}

TEST_CASE("a file that cannot be synced at all (EINVAL) is committed as usual") {
    TempDir dir;
    OutputFile out(dir / "out.mp4", false);
    write_file(out.temp_path(), "new");
    out.commit(unsupported_sync);
    CHECK(read_file(dir / "out.mp4") == "new");
    CHECK(entries(dir.path()) == 1);
}

TEST_CASE("a crash-safe video written under its final name reports a failed fsync too") {
    TempDir dir;
    OutputFile out(dir / "out.mp4", false, true);
    REQUIRE(out.direct());
    write_file(out.temp_path(), "fragments");
    CHECK_THROWS_WITH(out.commit(failing_sync),
                      "could not flush '" + (dir / "out.mp4").string() +
                          "' to disk (Input/output error): the video may be incomplete; check "
                          "the disk");
    CHECK(read_file(dir / "out.mp4") == "fragments"); // the only copy: never removed
}

TEST_CASE("temporary files of dead runs are found, those of live ones are not") {
    TempDir dir;
    write_file(dir / ".out.mp4.framepipe-999999999.part", "left by a killed run");
    write_file(dir / (".out.mp4.framepipe-" + std::to_string(::getpid()) + ".part"), "this run's");
    write_file(dir / ".other.mp4.framepipe-999999999.part", "another output's");
    auto found = OutputFile::leftovers(dir / "out.mp4");
    REQUIRE(found.size() == 1);
    CHECK(found[0] == dir / ".out.mp4.framepipe-999999999.part");
}
