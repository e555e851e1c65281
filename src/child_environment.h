// The environment ffmpeg runs with: framepipe's own, plus one glibc tunable. ffmpeg allocates a
// fresh buffer for every raw frame it reads (12 MB at 4K in 4:2:0) and glibc maps each one anew,
// so every frame costs thousands of 4 KiB page faults, which are dear on a virtual machine.
// glibc.malloc.hugetlb=1 (glibc 2.35 and later; older ones ignore it) backs those mappings with
// transparent huge pages: ffmpeg reading 4K frames and discarding them took 35% less CPU here,
// and an x264 encode at 720p was unchanged (docs/performance.md). A user's own setting of it wins.
#pragma once

#include <string>
#include <vector>

namespace framepipe {

// The value GLIBC_TUNABLES should have, given its current value (nullptr when unset).
std::string tunables_with_hugetlb(const char* current);

// env (a NULL-terminated "NAME=value" array, like environ) with GLIBC_TUNABLES set as above.
std::vector<std::string> ffmpeg_environment(const char* const* env);

} // namespace framepipe
