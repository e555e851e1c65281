#include "bench/conclusion.h"

#include "bench/crf_knob.h"
#include "bench/recommend.h"
#include "error.h"
#include "messages.h"
#include "shell_quote.h"

#include <cstdio>

namespace framepipe::bench {

namespace {

// What the conclusion recommends using: the tuned preset, or the bake-off's pick.
struct Choice {
    Preset preset;
    const PresetResult* result = nullptr;
    bool tuned = false;
};

std::string rejected_list(const std::vector<PresetResult>& results, const Constraints& c) {
    std::string rejected;
    for (const auto& r : results)
        if (auto failed = failed_constraints(r, c); !failed.empty()) {
            rejected += "  " + r.preset + ": ";
            for (std::size_t i = 0; i < failed.size(); ++i)
                rejected += (i ? "; " : "") + failed[i];
            rejected += "\n";
        }
    return rejected;
}

std::string command_for(const BakeOff& run, const std::string& name, const Preset& preset) {
    return suggested_command(run.content, name, preset.containers.front());
}

void print_recommendation(const BakeOff& run, std::size_t pick, const Constraints& c,
                          bool with_command, const std::string& rejected) {
    std::printf("\nRecommended: %s, the smallest file meeting %s.",
                run.results[pick].preset.c_str(), describe_constraints(c).c_str());
    if (with_command)
        std::printf(" Use it with:\n  %s\n",
                    command_for(run, run.presets[pick].name, run.presets[pick]).c_str());
    else
        std::printf("\n");
    if (!rejected.empty())
        std::printf("Passed over:\n%s", rejected.c_str());
}

TuneResult run_tune(const BakeOff& run, const Constraints& c,
                    std::optional<std::size_t> recommended) {
    auto base = tune_candidate(run.results, run.presets, c, recommended);
    if (!base) {
        TuneResult none;
        none.target = *c.min_ssim;
        if (recommended)
            none.reason = "the pick, " + run.presets[*recommended].name + ", cannot be tuned: " +
                          std::get<std::string>(crf_knob(run.presets[*recommended]));
        else
            none.reason = "no preset with a CRF to search (x264, x265, VP8, VP9, AV1) meets the "
                          "constraints other than --min-ssim";
        return none;
    }
    std::fprintf(stderr, "framepipe bench: --tune: searching the CRF of %s for --min-ssim %s\n",
                 run.presets[*base].name.c_str(), format_general(*c.min_ssim).c_str());
    return tune_preset(run.content, run.presets[*base], run.results[*base], *c.min_ssim,
                       run.context);
}

// Prints the search and its result's row; gives the tuned choice when it meets every constraint,
// else says why not in `why_not`.
std::optional<Choice> report_tune(const BakeOff& run, const TuneResult& t, const Constraints& c,
                                  std::string& why_not) {
    std::printf("\n%s", tune_summary(t).c_str());
    const auto* result = t.chosen_result();
    if (t.outcome != TuneOutcome::found) {
        why_not = tune_headline(t) + "\n";
        return std::nullopt;
    }
    std::printf("\n%s", format_table({*result}, run.style).c_str());
    auto failed = failed_constraints(*result, c);
    if (failed.empty())
        return Choice{*t.preset, result, true};
    why_not = "--tune: " + t.base + " at CRF " + std::to_string(t.probes[*t.chosen].crf) +
              " meets --min-ssim but not: ";
    for (std::size_t i = 0; i < failed.size(); ++i)
        why_not += (i ? "; " : "") + failed[i];
    why_not += "\n";
    std::printf("%s", why_not.c_str());
    return std::nullopt;
}

std::string measured_figures(const PresetResult& r) {
    return "SSIM " + format_fixed(r.quality->ssim_mean, 6) + ", " +
           format_mb(r.bytes_per_minute()) + " per minute, " + format_fixed(r.speed(), 2) +
           "x real time";
}

std::string content_words(const BakeOff& run) {
    return run.content.content + ", " + to_string(run.content.size) + " at " +
           to_string(run.content.rate) + " fps, " + std::to_string(run.content.frames) +
           " frames, with " + run.ffmpeg_version;
}

// The saved file's description and comment: what it is, and the measurement it came from.
std::pair<std::string, std::string> saved_words(const BakeOff& run, const Choice& choice,
                                                const Constraints& c, const TuneResult* t) {
    if (choice.tuned) {
        const auto crf = std::to_string(t->probes[*t->chosen].crf);
        return {t->base + " at CRF " + crf +
                    ": tuned by framepipe bench for SSIM >= " + format_general(t->target),
                "Saved by framepipe bench --tune from preset " + t->base + ": CRF " + crf +
                    " is the largest meeting " + describe_constraints(c) + " (" +
                    measured_figures(*choice.result) + ") on " + content_words(run) + "."};
    }
    return {choice.preset.description,
            "Saved by framepipe bench: preset " + choice.result->preset +
                ", the smallest file meeting " + describe_constraints(c) + " (" +
                measured_figures(*choice.result) + ") on " + content_words(run) + "."};
}

void print_use(const BakeOff& run, const Choice& choice, const std::optional<SavedPreset>& saved,
               bool tune_asked) {
    if (saved) {
        std::printf("\nSaved as preset %s in %s. Use it with:\n  %s\n", saved->name.c_str(),
                    saved->file.c_str(), command_for(run, saved->name, choice.preset).c_str());
    } else if (choice.tuned) {
        std::printf("\nTo use it, save it as a preset: run the same bench with --save-preset NAME "
                    "(its results are cached), then framepipe -p NAME.\n");
    } else if (tune_asked) {
        std::printf("\nKeeping the recommendation, %s. Use it with:\n  %s\n",
                    choice.preset.name.c_str(),
                    command_for(run, choice.preset.name, choice.preset).c_str());
    }
}

} // namespace

std::string suggested_command(const Captured& content, const std::string& preset_name,
                              const std::string& container) {
    return shell_join({"framepipe", "-s", to_string(content.size), "--pix-fmt",
                       std::string(content.format->name), "-r", to_string(content.rate), "-p",
                       preset_name, "OUTPUT." + container});
}

Conclusion conclude(const BenchOptions& o, const BakeOff& run,
                    const std::optional<SaveTarget>& save, const PresetSearchPath& search) {
    Conclusion out;
    const auto& c = o.constraints;
    if (!has_constraints(c))
        return out;
    const auto rejected = rejected_list(run.results, c);
    out.recommended = recommend(run.results, c);
    if (out.recommended)
        print_recommendation(run, *out.recommended, c, !o.tune, rejected);
    std::optional<Choice> choice;
    std::string why_not;
    if (o.tune) {
        out.tune = run_tune(run, c, out.recommended);
        choice = report_tune(run, *out.tune, c, why_not);
    }
    if (!choice && out.recommended)
        choice = Choice{run.presets[*out.recommended], &run.results[*out.recommended], false};
    if (!choice) {
        std::fflush(stdout);
        print_error((out.recommended
                         ? std::string()
                         : "no preset meets " + describe_constraints(c) + ":\n" + rejected) +
                    why_not + "loosen a constraint, or try other presets with --presets" +
                    (save ? "; nothing was saved" : ""));
        out.status = to_int(ExitCode::constraints_unmet);
        return out;
    }
    if (save) {
        auto [description, comment] = saved_words(run, *choice, c, out.tune ? &*out.tune : nullptr);
        Preset preset = choice->preset;
        preset.description = description;
        save_preset(*save, preset, comment, search, o.overwrite);
        out.saved = SavedPreset{save->name, save->file};
    }
    print_use(run, *choice, out.saved, o.tune);
    return out;
}

} // namespace framepipe::bench
