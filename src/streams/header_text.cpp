#include "streams/header_text.h"

namespace framepipe {

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) {
    if (text.empty())
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
        if (v > max)
            return std::nullopt;
    }
    return v;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> out;
    while (!line.empty()) {
        auto space = line.find(' ');
        auto field = line.substr(0, space);
        if (!field.empty())
            out.push_back(field);
        if (space == std::string_view::npos)
            break;
        line.remove_prefix(space + 1);
    }
    return out;
}

std::string quote_bytes(std::string_view bytes) {
    constexpr std::size_t kShown = 16;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < bytes.size() && i < kShown; ++i) {
        auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    out += bytes.size() > kShown ? "\"..." : "\"";
    return out;
}

} // namespace framepipe
