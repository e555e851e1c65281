#include "preset.h"

#include "error.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

namespace framepipe {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

enum class FieldType { string, string_array, hardware, range };

struct FieldSpec {
    std::string_view name;
    FieldType type;
};

constexpr std::array kFields{
    FieldSpec{"name", FieldType::string},
    FieldSpec{"description", FieldType::string},
    FieldSpec{"encoder", FieldType::string},
    FieldSpec{"args", FieldType::string_array},
    FieldSpec{"input_args", FieldType::string_array},
    FieldSpec{"filters", FieldType::string_array},
    FieldSpec{"pix_fmt", FieldType::string},
    FieldSpec{"color_range", FieldType::range},
    FieldSpec{"containers", FieldType::string_array},
    FieldSpec{"hardware", FieldType::hardware},
    FieldSpec{"fallback", FieldType::string},
    FieldSpec{"extends", FieldType::string},
    FieldSpec{"warning", FieldType::string},
    FieldSpec{"comment", FieldType::string},
};

constexpr std::array kHardwareNames{
    std::pair{Hardware::none, "none"}, std::pair{Hardware::nvenc, "nvenc"},
    std::pair{Hardware::qsv, "qsv"}, std::pair{Hardware::amf, "amf"},
    std::pair{Hardware::vaapi, "vaapi"}};

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
    throw Error(ExitCode::preset, origin + ": " + what);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string known_field_list() {
    std::string out;
    for (const auto& f : kFields) {
        if (!out.empty())
            out += ", ";
        out += f.name;
    }
    return out;
}

const char* json_type_name(const json& v) {
    if (v.is_string())
        return "a string";
    if (v.is_array())
        return "an array";
    if (v.is_object())
        return "an object";
    if (v.is_boolean())
        return "true/false";
    if (v.is_number())
        return "a number";
    return "null";
}

void check_field(const std::string& origin, const std::string& key, const json& value,
                 FieldType type) {
    auto wrong = [&](const char* expected) {
        fail(origin, "field '" + key + "' must be " + expected + ", not " + json_type_name(value));
    };
    switch (type) {
    case FieldType::string:
        if (!value.is_string())
            wrong("a string");
        break;
    case FieldType::string_array:
        if (!value.is_array())
            wrong("an array of strings");
        for (const auto& item : value)
            if (!item.is_string())
                fail(origin, "field '" + key + "' must be an array of strings, but holds " +
                                 json_type_name(item));
        break;
    case FieldType::hardware: {
        if (!value.is_string())
            wrong("a string");
        auto s = value.get<std::string>();
        bool ok = std::any_of(kHardwareNames.begin(), kHardwareNames.end(),
                              [&](const auto& p) { return s == p.second; });
        if (!ok)
            fail(origin, "field 'hardware' is '" + s + "': use none, nvenc, qsv, amf or vaapi");
        break;
    }
    case FieldType::range: {
        if (!value.is_string())
            wrong("a string");
        auto s = value.get<std::string>();
        if (s != "tv" && s != "pc")
            fail(origin, "field 'color_range' is '" + s +
                             "': use tv (limited range, plays everywhere) or pc (full range)");
        break;
    }
    }
    // Empty names pass the type check but would reach ffmpeg as nonsense ("-pix_fmt ''"), which
    // fails only after it has taken the input.
    if ((key == "encoder" || key == "pix_fmt" || key == "fallback" || key == "extends") &&
        value.get<std::string>().empty())
        fail(origin, "field '" + key + "' is empty: give a name or leave the field out");
    if (key == "filters" || key == "containers")
        for (const auto& item : value) {
            const auto& text = item.get_ref<const std::string&>();
            if (text.empty())
                fail(origin, "field '" + key + "' holds an empty string");
            if (key == "containers" && text.starts_with("."))
                fail(origin, "field 'containers' lists '" + text +
                                 "': give extensions without the dot, such as \"mp4\"");
        }
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

// nlohmann's messages read "[json.exception.parse_error.101] parse error at line 3, column 5:
// syntax error while parsing object - unexpected '}'; expected string literal"; users need only
// the part after the last " - " (or the whole tail when there is none).
std::string parse_reason(const std::string& what) {
    auto dash = what.rfind(" - ");
    if (dash != std::string::npos)
        return what.substr(dash + 3);
    auto colon = what.rfind(": ");
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

std::vector<std::string> strings(const json& obj, const char* key) {
    std::vector<std::string> out;
    if (auto it = obj.find(key); it != obj.end())
        for (const auto& s : *it)
            out.push_back(s.get<std::string>());
    return out;
}

} // namespace

std::string_view to_string(Hardware h) {
    for (const auto& [value, name] : kHardwareNames)
        if (value == h)
            return name;
    return "none";
}

bool is_valid_preset_name(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.size() > 64)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        // Upper case too: the catalogue's own names (nvenc-8M, amf-8M) use it.
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

bool is_yuv_format(std::string_view pix_fmt) {
    return pix_fmt.starts_with("yuv") || pix_fmt.starts_with("yuvj") || pix_fmt == "nv12" ||
           pix_fmt == "nv21" || pix_fmt == "nv16" || pix_fmt.starts_with("p010") ||
           pix_fmt.starts_with("p016");
}

PresetSource parse_preset_source(std::string_view text, const std::string& origin,
                                 std::optional<std::string_view> expected_name) {
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        auto [line, col] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
        fail(origin + ":" + std::to_string(line) + ":" + std::to_string(col),
             "invalid JSON: " + parse_reason(e.what()));
    } catch (const json::out_of_range& e) {
        // A number beyond a double (1e999) is not a parse_error but out_of_range 406, with no
        // position; it escaped as an "internal error" until the preset fuzz target found it.
        const std::string what = e.what();
        const auto tag_end = what.find("] ");
        fail(origin,
             "invalid JSON: " + (tag_end == std::string::npos ? what : what.substr(tag_end + 2)));
    }
    if (!doc.is_object())
        fail(origin,
             std::string("a preset must be a JSON object ({...}), not ") + json_type_name(doc));

    for (const auto& [key, value] : doc.items()) {
        // Named, not captured: clang before 16 cannot capture a structured binding (the fuzz
        // build uses Debian 12's clang 14).
        const std::string& name = key;
        auto spec = std::find_if(kFields.begin(), kFields.end(),
                                 [&](const FieldSpec& f) { return f.name == name; });
        if (spec == kFields.end()) {
            std::string hint;
            for (const auto& f : kFields)
                if (edit_distance(key, f.name) <= 2) {
                    hint = " (did you mean '" + std::string(f.name) + "'?)";
                    break;
                }
            fail(origin,
                 "unknown field '" + key + "'" + hint + "; known fields are " + known_field_list());
        }
        check_field(origin, key, value, spec->type);
    }

    if (!doc.contains("name"))
        fail(origin, "the field 'name' is missing");
    auto name = doc["name"].get<std::string>();
    if (!is_valid_preset_name(name))
        fail(origin, "preset name '" + name + "' may use only letters, digits, '.', '_' and '-'");
    if (expected_name && name != *expected_name)
        fail(origin, "the file defines preset '" + name + "' but is named for '" +
                         std::string(*expected_name) + "': rename one to match the other");
    return PresetSource{name, origin, std::make_shared<const json>(std::move(doc))};
}

Preset resolve_preset(const PresetSource& source, const PresetLookup& lookup) {
    // Walk up the chain first, so the merge can go from the root ancestor down.
    std::vector<const PresetSource*> chain{&source};
    std::vector<std::string> names{source.name};
    while (true) {
        const auto& fields = *chain.back()->fields;
        auto it = fields.find("extends");
        if (it == fields.end())
            break;
        auto parent_name = it->get<std::string>();
        if (std::find(names.begin(), names.end(), parent_name) != names.end()) {
            std::string cycle;
            for (const auto& n : names)
                cycle += "'" + n + "' extends ";
            fail(source.origin, "'extends' makes a cycle: " + cycle + "'" + parent_name + "'");
        }
        const PresetSource* parent = lookup(parent_name);
        if (parent == nullptr)
            fail(chain.back()->origin,
                 "extends '" + parent_name +
                     "', which is not a known preset (see framepipe --list-presets)");
        chain.push_back(parent);
        names.push_back(parent_name);
    }

    json merged = json::object();
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        for (const auto& [key, value] : (*it)->fields->items())
            merged[key] = value;

    for (const char* required : {"description", "encoder", "containers"})
        if (!merged.contains(required))
            fail(source.origin, std::string("the field '") + required +
                                    "' is missing (set it here or in the preset this one extends)");

    Preset p;
    p.name = source.name;
    p.origin = source.origin;
    p.description = merged["description"].get<std::string>();
    p.encoder = merged["encoder"].get<std::string>();
    p.args = strings(merged, "args");
    p.input_args = strings(merged, "input_args");
    p.filters = strings(merged, "filters");
    p.containers = strings(merged, "containers");
    if (p.containers.empty())
        fail(source.origin,
             "the field 'containers' is empty: list the extensions it can write, e.g. [\"mp4\"]");
    if (merged.contains("pix_fmt"))
        p.pix_fmt = merged["pix_fmt"].get<std::string>();
    if (merged.contains("color_range"))
        p.color_range = merged["color_range"].get<std::string>();
    if (merged.contains("warning"))
        p.warning = merged["warning"].get<std::string>();
    if (merged.contains("hardware")) {
        auto h = merged["hardware"].get<std::string>();
        for (const auto& [value, name] : kHardwareNames)
            if (h == name)
                p.hardware = value;
    }
    if (merged.contains("fallback"))
        p.fallback = merged["fallback"].get<std::string>();
    if (p.fallback && *p.fallback == p.name)
        fail(source.origin, "preset '" + p.name + "' names itself as its fallback");
    return p;
}

std::string format_preset(const Preset& p, const std::string& comment) {
    ordered_json j;
    j["name"] = p.name;
    j["description"] = p.description;
    if (!comment.empty())
        j["comment"] = comment;
    j["encoder"] = p.encoder;
    j["args"] = p.args;
    if (!p.input_args.empty())
        j["input_args"] = p.input_args;
    if (!p.filters.empty())
        j["filters"] = p.filters;
    j["pix_fmt"] = p.pix_fmt;
    j["color_range"] = p.color_range;
    j["containers"] = p.containers;
    if (p.hardware != Hardware::none)
        j["hardware"] = std::string(to_string(p.hardware));
    if (p.fallback)
        j["fallback"] = *p.fallback;
    if (!p.warning.empty())
        j["warning"] = p.warning;
    // A comment may quote a file name that is not UTF-8: replaced, not a throw.
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace framepipe
