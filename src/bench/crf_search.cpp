#include "bench/crf_search.h"

#include <algorithm>
#include <cmath>

namespace framepipe::bench {

namespace {

// A line that lands exactly on a CRF (up to rounding) lands on it, not one past.
constexpr double kEpsilon = 1e-6;

// The largest CRF meeting the target, and the smallest above it that misses it. A miss below the
// largest meeting CRF (noise: SSIM is not perfectly monotonic) brackets nothing and is ignored.
struct Bracket {
    const CrfProbe* pass = nullptr;
    const CrfProbe* fail = nullptr;
};

Bracket bracket(const std::vector<CrfProbe>& probes, double target) {
    Bracket b;
    for (const auto& p : probes)
        if (p.ssim >= target && (!b.pass || p.crf > b.pass->crf))
            b.pass = &p;
    for (const auto& p : probes)
        if (p.ssim < target && (!b.pass || p.crf > b.pass->crf) && (!b.fail || p.crf < b.fail->crf))
            b.fail = &p;
    return b;
}

// The probe next to `from` on the side away from the target, for a slope: SSIM per CRF.
std::optional<double> slope_at(const std::vector<CrfProbe>& probes, const CrfProbe& from,
                               bool above) {
    const CrfProbe* other = nullptr;
    for (const auto& p : probes)
        if ((above ? p.crf < from.crf : p.crf > from.crf) &&
            (!other || std::abs(p.crf - from.crf) < std::abs(other->crf - from.crf)))
            other = &p;
    if (!other)
        return std::nullopt;
    double slope = (from.ssim - other->ssim) / (from.crf - other->crf);
    // SSIM falls as the CRF rises; anything else is noise to step over, not to follow.
    return slope < 0 ? std::optional(slope) : std::nullopt;
}

int interpolate(const CrfProbe& pass, const CrfProbe& fail, double target) {
    double x = pass.crf + (pass.ssim - target) / (pass.ssim - fail.ssim) * (fail.crf - pass.crf);
    return std::clamp(static_cast<int>(std::lround(x)), pass.crf + 1, fail.crf - 1);
}

// Only CRFs meeting the target so far: go up, aiming just past the target so that the next probe
// likely brackets it.
int extrapolate_up(const std::vector<CrfProbe>& probes, const CrfProbe& pass, double target,
                   CrfRange range, const CrfSearchLimits& limits) {
    int next = pass.crf + limits.first_step;
    if (auto slope = slope_at(probes, pass, true))
        next = static_cast<int>(std::ceil(pass.crf + (target - pass.ssim) / *slope - kEpsilon));
    return std::clamp(next, pass.crf + 1, std::min(range.max, pass.crf + limits.max_step));
}

// Only CRFs missing the target so far: go down. When the line through the probes says even the
// lowest CRF misses, that one probe settles it.
int extrapolate_down(const std::vector<CrfProbe>& probes, const CrfProbe& fail, double target,
                     CrfRange range, const CrfSearchLimits& limits) {
    int next = fail.crf - limits.first_step;
    if (auto slope = slope_at(probes, fail, false)) {
        next = static_cast<int>(std::floor(fail.crf + (target - fail.ssim) / *slope + kEpsilon));
        if (next <= range.min)
            return range.min;
    }
    return std::clamp(next, std::max(range.min, fail.crf - limits.max_step), fail.crf - 1);
}

// The probe with the highest measured SSIM; the first one when none was measured.
const CrfProbe& best_tried(const std::vector<CrfProbe>& probes) {
    const CrfProbe* best = &probes.front();
    for (const auto& p : probes)
        if (!std::isnan(p.ssim) && (std::isnan(best->ssim) || p.ssim > best->ssim))
            best = &p;
    return *best;
}

} // namespace

CrfStep next_crf(const std::vector<CrfProbe>& probes, double target, CrfRange range,
                 const CrfSearchLimits& limits) {
    // A probe without a measured SSIM (NaN) means the measuring failed; probing on would only
    // repeat it, and a NaN brackets nothing.
    if (std::any_of(probes.begin(), probes.end(),
                    [](const CrfProbe& p) { return std::isnan(p.ssim); }))
        return {CrfVerdict::gave_up, best_tried(probes).crf};
    const auto [pass, fail] = bracket(probes, target);
    if (pass) {
        const bool close = pass->ssim - target <= limits.tolerance;
        const bool narrow = fail ? fail->crf - pass->crf <= 1 : pass->crf >= range.max;
        if (close || narrow || probes.size() >= limits.max_probes)
            return {CrfVerdict::found, pass->crf};
        return {CrfVerdict::probe, fail ? interpolate(*pass, *fail, target)
                                        : extrapolate_up(probes, *pass, target, range, limits)};
    }
    if (fail->crf <= range.min)
        return {CrfVerdict::unreachable, fail->crf};
    if (probes.size() >= limits.max_probes)
        return {CrfVerdict::gave_up, best_tried(probes).crf};
    return {CrfVerdict::probe, extrapolate_down(probes, *fail, target, range, limits)};
}

} // namespace framepipe::bench
