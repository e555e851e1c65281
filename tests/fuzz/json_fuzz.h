// Shared by the targets of JSON parsers. Their bugs are mostly a value of another type than the
// one expected (nlohmann's accessors throw their own exceptions, or convert what does not fit),
// and byte mutations rarely turn a well-formed value into a well-formed value of another type.
// So each input is also tried with one of its values replaced by one of each type; which one
// follows from the input's hash, so it is the same on every run of that input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe::fuzz {

namespace detail {

inline void collect_pointers(const nlohmann::json& j, const nlohmann::json::json_pointer& at,
                             std::vector<nlohmann::json::json_pointer>& out, std::size_t max) {
    if (out.size() >= max)
        return;
    out.push_back(at);
    if (j.is_object()) {
        for (const auto& [key, value] : j.items())
            collect_pointers(value, at / key, out, max);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            collect_pointers(j[i], at / i, out, max);
    }
}

} // namespace detail

// Calls parse(text), then, when `text` is JSON, parse() of it with one value retyped.
template <typename F>
void with_a_value_retyped(std::string_view text, F&& parse) {
    parse(text);
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return;
    const nlohmann::json replacements[] = {
        nullptr, true, -1, 1e30, 0.5, "", "inf", nlohmann::json::array(), nlohmann::json::object()};
    std::vector<nlohmann::json::json_pointer> pointers;
    detail::collect_pointers(doc, nlohmann::json::json_pointer(), pointers, 256);
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text)
        hash = (hash ^ c) * 1099511628211ull;
    const auto& pointer = pointers[hash % pointers.size()];
    doc[pointer] = replacements[(hash / pointers.size()) % std::size(replacements)];
    parse(doc.dump());
}

} // namespace framepipe::fuzz
