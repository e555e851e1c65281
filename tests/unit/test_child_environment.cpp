#include "catch.h"

#include "child_environment.h"

#include <algorithm>

using namespace framepipe;

TEST_CASE("ffmpeg gets glibc's huge-page malloc unless the user chose", "[environment]") {
    CHECK(tunables_with_hugetlb(nullptr) == "glibc.malloc.hugetlb=1");
    CHECK(tunables_with_hugetlb("") == "glibc.malloc.hugetlb=1");
    CHECK(tunables_with_hugetlb("glibc.malloc.check=3") ==
          "glibc.malloc.check=3:glibc.malloc.hugetlb=1");
    CHECK(tunables_with_hugetlb("glibc.malloc.hugetlb=0") == "glibc.malloc.hugetlb=0");
    CHECK(tunables_with_hugetlb("glibc.malloc.check=3:glibc.malloc.hugetlb=2") ==
          "glibc.malloc.check=3:glibc.malloc.hugetlb=2");
    // A longer name that starts the same is another tunable.
    CHECK(tunables_with_hugetlb("glibc.malloc.hugetlbx=0") ==
          "glibc.malloc.hugetlbx=0:glibc.malloc.hugetlb=1");
}

TEST_CASE("ffmpeg's environment is framepipe's with one tunable", "[environment]") {
    const char* env[] = {"PATH=/usr/bin", "GLIBC_TUNABLES=glibc.malloc.check=3", "HOME=/root",
                         nullptr};
    const auto out = ffmpeg_environment(env);
    REQUIRE(out.size() == 3);
    CHECK(out[0] == "PATH=/usr/bin");
    CHECK(out[1] == "HOME=/root");
    CHECK(out[2] == "GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.hugetlb=1");
    const char* bare[] = {"A=1", nullptr};
    CHECK(ffmpeg_environment(bare) ==
          std::vector<std::string>{"A=1", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"});
    CHECK(ffmpeg_environment(nullptr) ==
          std::vector<std::string>{"GLIBC_TUNABLES=glibc.malloc.hugetlb=1"});
}
