#include "bench/tune.h"

#include "bench/crf_knob.h"
#include "bench/recommend.h"
#include "bench/table.h"

#include <algorithm>
#include <cstdio>

namespace framepipe::bench {

namespace {

bool tunable(const Preset& p) {
    return std::holds_alternative<CrfKnob>(crf_knob(p));
}

void progress(const TuneResult& t, const TuneProbe& probe, std::size_t max_probes) {
    const auto& r = probe.result;
    std::fprintf(stderr,
                 "framepipe bench: --tune %s, probe %zu of at most %zu: CRF %d: SSIM %.6f, %s%s\n",
                 t.base.c_str(), t.probes.size(), max_probes, probe.crf, r.quality->ssim_mean,
                 format_mb(static_cast<double>(r.bytes)).c_str(),
                 r.cached ? " (cached)" : (t.probes.size() == 1 ? " (the bake-off's)" : ""));
}

std::optional<std::size_t> probe_at(const TuneResult& t, int crf) {
    for (std::size_t i = 0; i < t.probes.size(); ++i)
        if (t.probes[i].crf == crf)
            return i;
    return std::nullopt;
}

void finish(TuneResult& t, CrfStep step, const Preset& base, const CrfKnob& knob) {
    t.chosen = probe_at(t, step.crf);
    switch (step.verdict) {
    case CrfVerdict::found:
        t.outcome = TuneOutcome::found;
        t.preset = with_crf(base, knob, step.crf);
        break;
    case CrfVerdict::unreachable:
        t.outcome = TuneOutcome::unreachable;
        break;
    default:
        t.outcome = TuneOutcome::gave_up;
        break;
    }
}

std::string probe_line(const TuneResult& t, const TuneProbe& p) {
    char line[160];
    std::snprintf(line, sizeof line, "  CRF %2d  SSIM %.6f  %10s  %10s/min%s\n", p.crf,
                  p.result.quality->ssim_mean,
                  format_mb(static_cast<double>(p.result.bytes)).c_str(),
                  format_mb(p.result.bytes_per_minute()).c_str(),
                  p.crf == t.base_crf ? "  (the preset's)" : "");
    return line;
}

} // namespace

std::optional<std::size_t> tune_candidate(const std::vector<PresetResult>& results,
                                          const std::vector<Preset>& presets,
                                          const Constraints& constraints,
                                          std::optional<std::size_t> recommended) {
    if (recommended && tunable(presets[*recommended]))
        return recommended;
    Constraints but_ssim = constraints;
    but_ssim.min_ssim.reset();
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < results.size(); ++i)
        if (tunable(presets[i]) && failed_constraints(results[i], but_ssim).empty() &&
            (!best || results[i].bytes < results[*best].bytes))
            best = i;
    return best;
}

TuneResult tune_preset(const Captured& content, const Preset& base, const PresetResult& base_result,
                       double target, const MeasureContext& context) {
    TuneResult t;
    t.base = base.name;
    t.target = target;
    auto knob = crf_knob(base);
    if (const auto* why = std::get_if<std::string>(&knob)) {
        t.reason = *why;
        return t;
    }
    const auto& k = std::get<CrfKnob>(knob);
    const CrfSearchLimits limits;
    t.base_crf = k.value;
    t.probes.push_back({k.value, base_result});
    progress(t, t.probes.back(), limits.max_probes);
    std::vector<CrfProbe> points{{k.value, base_result.quality->ssim_mean}};
    for (;;) {
        const auto step = next_crf(points, target, k.range, limits);
        if (step.verdict != CrfVerdict::probe) {
            finish(t, step, base, k);
            return t;
        }
        auto r = measure_preset(content, with_crf(base, k, step.crf), context, false);
        if (r.outcome != Outcome::encoded) {
            t.outcome = TuneOutcome::failed;
            t.reason = "the encode at CRF " + std::to_string(step.crf) + " failed: " + r.reason;
            return t;
        }
        t.probes.push_back({step.crf, std::move(r)});
        points.push_back({step.crf, t.probes.back().result.quality->ssim_mean});
        progress(t, t.probes.back(), limits.max_probes);
    }
}

std::string tune_headline(const TuneResult& t) {
    const std::string goal = "--min-ssim " + format_general(t.target);
    const auto* best = t.chosen_result();
    std::string head;
    switch (t.outcome) {
    case TuneOutcome::found:
        head = "Tuned " + t.base + " for " + goal + ": CRF " +
               std::to_string(t.probes[*t.chosen].crf) + " (the preset has " +
               std::to_string(t.base_crf) + "), the largest CRF that meets it";
        break;
    case TuneOutcome::unreachable:
        head = "--tune: " + t.base + " cannot reach " + goal + ": even CRF " +
               std::to_string(t.probes[*t.chosen].crf) + ", its best quality, gives SSIM " +
               format_fixed(best->quality->ssim_mean, 6);
        break;
    case TuneOutcome::gave_up:
        head = "--tune: no CRF of " + t.base + " met " + goal + " in " +
               std::to_string(t.probes.size()) + " probes; the best, CRF " +
               std::to_string(t.probes[*t.chosen].crf) + ", gives SSIM " +
               format_fixed(best->quality->ssim_mean, 6);
        break;
    case TuneOutcome::not_tunable:
    case TuneOutcome::failed:
        head = "--tune: " + (t.base.empty() ? std::string() : t.base + ": ") + t.reason;
        break;
    }
    return head;
}

std::string tune_summary(const TuneResult& t) {
    if (t.probes.empty())
        return tune_headline(t) + "\n";
    auto sorted = t.probes;
    std::sort(sorted.begin(), sorted.end(),
              [](const TuneProbe& a, const TuneProbe& b) { return a.crf < b.crf; });
    std::string text = tune_headline(t) + " (" + std::to_string(t.probes.size()) + " probes):\n";
    for (const auto& p : sorted)
        text += probe_line(t, p);
    return text;
}

std::string tune_outcome_name(TuneOutcome outcome) {
    switch (outcome) {
    case TuneOutcome::found:
        return "found";
    case TuneOutcome::unreachable:
        return "unreachable";
    case TuneOutcome::gave_up:
        return "gave_up";
    case TuneOutcome::not_tunable:
        return "not_tunable";
    case TuneOutcome::failed:
        break;
    }
    return "failed";
}

} // namespace framepipe::bench
