#include "bench/table.h"

#include "bench/vmaf.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>

namespace framepipe::bench {

std::string format_fixed(double value, int decimals) {
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string format_mb(double bytes) {
    return format_fixed(bytes / 1e6, 2) + " MB";
}

std::string format_general(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

namespace {

struct Column {
    std::string title;
    std::function<std::string(const PresetResult&)> text;
    // Larger is better (+1), smaller is better (-1), or no best (0).
    int better;
    std::function<double(const PresetResult&)> value;
};

const std::vector<Column>& base_columns() {
    static const std::vector<Column> all{
        {"preset", [](const PresetResult& r) { return r.preset; }, 0, {}},
        {"encoder", [](const PresetResult& r) { return r.encoder; }, 0, {}},
        {"frames", [](const PresetResult& r) { return std::to_string(r.frames); }, 0, {}},
        {"fps", [](const PresetResult& r) { return format_fixed(r.encode_fps(), 1); }, 1,
         [](const PresetResult& r) { return r.encode_fps(); }},
        {"speed", [](const PresetResult& r) { return format_fixed(r.speed(), 2) + "x"; }, 1,
         [](const PresetResult& r) { return r.speed(); }},
        {"size", [](const PresetResult& r) { return format_mb(static_cast<double>(r.bytes)); }, -1,
         [](const PresetResult& r) { return static_cast<double>(r.bytes); }},
        {"per minute", [](const PresetResult& r) { return format_mb(r.bytes_per_minute()); }, -1,
         [](const PresetResult& r) { return r.bytes_per_minute(); }},
        {"Mbit/s", [](const PresetResult& r) { return format_fixed(r.bits_per_second() / 1e6, 2); },
         -1, [](const PresetResult& r) { return r.bits_per_second(); }},
        {"SSIM", [](const PresetResult& r) { return format_fixed(r.quality->ssim_mean, 4); }, 1,
         [](const PresetResult& r) { return r.quality->ssim_mean; }},
        {"worst", [](const PresetResult& r) { return format_fixed(r.quality->ssim_worst, 4); }, 1,
         [](const PresetResult& r) { return r.quality->ssim_worst; }},
        {"PSNR dB", [](const PresetResult& r) { return format_fixed(r.quality->psnr_mean, 2); }, 1,
         [](const PresetResult& r) { return r.quality->psnr_mean; }},
        {"worst", [](const PresetResult& r) { return format_fixed(r.quality->psnr_worst, 2); }, 1,
         [](const PresetResult& r) { return r.quality->psnr_worst; }},
        {"web", [](const PresetResult& r) { return std::string(r.web ? "yes" : "no"); }, 0, {}},
    };
    return all;
}

double vmaf_or_nothing(const std::optional<double>& v) {
    return v.value_or(-std::numeric_limits<double>::infinity());
}

std::string vmaf_text(const std::optional<double>& v) {
    return v ? format_fixed(*v, 2) : "-";
}

// The base columns, with VMAF's two before "web" when it is measured.
std::vector<Column> columns(bool vmaf) {
    auto all = base_columns();
    if (vmaf)
        all.insert(
            all.end() - 1,
            {{"VMAF", [](const PresetResult& r) { return vmaf_text(r.quality->vmaf_mean); }, 1,
              [](const PresetResult& r) { return vmaf_or_nothing(r.quality->vmaf_mean); }},
             {"worst", [](const PresetResult& r) { return vmaf_text(r.quality->vmaf_worst); }, 1,
              [](const PresetResult& r) { return vmaf_or_nothing(r.quality->vmaf_worst); }}});
    return all;
}

bool sampled(const PresetResult& r, const TableStyle& style) {
    return r.outcome == Outcome::encoded && r.frames < style.captured;
}

bool measured(const PresetResult& r) {
    return r.outcome == Outcome::encoded && r.quality.has_value();
}

std::optional<double> best_of(const Column& c, const std::vector<PresetResult>& results) {
    std::optional<double> best;
    for (const auto& r : results)
        if (measured(r) && c.better != 0) {
            double v = c.value(r);
            if (!best || (c.better > 0 ? v > *best : v < *best))
                best = v;
        }
    return best;
}

} // namespace

std::vector<std::vector<std::string>> table_cells(const std::vector<PresetResult>& results,
                                                  const TableStyle& style) {
    const auto cols = columns(style.vmaf);
    std::vector<std::vector<std::string>> rows(1);
    for (const auto& c : cols)
        rows[0].push_back(c.title);
    for (const auto& r : results) {
        std::vector<std::string> row;
        if (measured(r)) {
            for (const auto& c : cols)
                row.push_back(c.text(r));
            if (sampled(r, style))
                row[2] += "*";
        } else {
            row = {r.preset, r.encoder,
                   (r.outcome == Outcome::unavailable ? "unavailable: " : "failed: ") + r.reason};
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string format_table(const std::vector<PresetResult>& results, const TableStyle& style) {
    const auto rows = table_cells(results, style);
    const auto cols = columns(style.vmaf);
    const bool bold = style.bold;
    std::vector<std::size_t> width(cols.size(), 0);
    // A short row's last cell (why the preset did not run) runs on and sets no width.
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            if (row.size() == cols.size() || i + 1 < row.size())
                width[i] = std::max(width[i], row[i].size());
    std::vector<std::optional<double>> best;
    for (const auto& c : cols)
        best.push_back(best_of(c, results));

    std::string out;
    for (std::size_t n = 0; n < rows.size(); ++n) {
        const auto& row = rows[n];
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            const bool last = i + 1 == row.size();
            // Names left-aligned, numbers right-aligned; a reason runs to the end of the line.
            std::string cell = row[i];
            std::size_t pad = last && row.size() != cols.size() ? 0 : width[i] - cell.size();
            // Names and the web column left-aligned, numbers right-aligned.
            bool numeric = i >= 2 && i + 1 < cols.size() && row.size() == cols.size();
            if (bold && n > 0 && numeric && best[i] && cols[i].value(results[n - 1]) == *best[i])
                cell = "\x1b[1m" + cell + "\x1b[0m";
            line +=
                numeric ? std::string(pad, ' ') + cell : cell + (last ? "" : std::string(pad, ' '));
            if (!last)
                line += "  ";
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string table_notes(const std::vector<PresetResult>& results, const TableStyle& style) {
    std::string notes;
    if (std::any_of(results.begin(), results.end(),
                    [&](const PresetResult& r) { return sampled(r, style); }))
        notes += "* a slow encoder, measured on the first frames only (the frames column) of the " +
                 std::to_string(style.captured) + " captured, to keep the bench short\n";
    if (!style.vmaf)
        notes += "vmaf: " + std::string(kVmafUnavailable) + "\n";
    return notes;
}

} // namespace framepipe::bench
