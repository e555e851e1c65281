#include "child_environment.h"

#include <string_view>

namespace framepipe {

namespace {

constexpr std::string_view tunables_name = "GLIBC_TUNABLES=";
constexpr std::string_view hugetlb = "glibc.malloc.hugetlb";

} // namespace

std::string tunables_with_hugetlb(const char* current) {
    const std::string on = std::string(hugetlb) + "=1";
    if (!current || !*current)
        return on;
    const std::string value = current;
    // Tunables are colon-separated NAME=VALUE pairs; any mention of hugetlb is the user's choice.
    std::size_t start = 0;
    while (start <= value.size()) {
        const std::size_t end = std::min(value.find(':', start), value.size());
        const std::string_view item = std::string_view(value).substr(start, end - start);
        if (item.substr(0, item.find('=')) == hugetlb)
            return value;
        start = end + 1;
    }
    return value + ":" + on;
}

std::vector<std::string> ffmpeg_environment(const char* const* env) {
    std::vector<std::string> out;
    const char* current = nullptr;
    for (; env && *env; ++env) {
        const std::string_view entry = *env;
        if (entry.substr(0, tunables_name.size()) == tunables_name)
            current = *env + tunables_name.size();
        else
            out.emplace_back(entry);
    }
    out.push_back(std::string(tunables_name) + tunables_with_hugetlb(current));
    return out;
}

} // namespace framepipe
