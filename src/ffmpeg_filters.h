// Which filters this machine's ffmpeg was built with, from `ffmpeg -hide_banner -filters`: builds
// differ (libvmaf is there only when configured with --enable-libvmaf, which Debian's is not).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace framepipe {

using FilterSet = std::set<std::string, std::less<>>;

// The filter names in the listing, whose entries read (ffmpeg 5.1)
//    TS. ssim              VV->V      Calculate the SSIM between two video streams.
//    ... abuffer           |->A       Buffer audio frames, and make them accessible to the chain.
// after a legend of lines such as "  T.. = Timeline support". Nothing when the text has no
// "Filters:" heading and no entry, so a caller can tell "no such filter" from "not the listing".
std::optional<FilterSet> parse_filter_list(std::string_view text);

} // namespace framepipe
