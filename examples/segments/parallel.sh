#!/bin/sh
# The same on one machine with GNU parallel: JOBS segments encode at once (default: one per
# core), then they are joined. --halt now,fail=1 stops at the first failed window, so a broken
# render is never joined.
#   TOTAL=9000 WINDOW=600 examples/segments/parallel.sh movie.mp4
set -eu
: "${TOTAL:?set TOTAL, the number of frames}" "${WINDOW:=600}"
output=$1
segments=${SEGMENTS:-$(mktemp -d "${TMPDIR:-/tmp}/segments.XXXXXX")}
here=$(cd "$(dirname "$0")" && pwd)
export TOTAL WINDOW
# --quote: parallel runs the command as given, without a shell re-reading the paths.
seq 0 "$WINDOW" $((TOTAL - 1)) |
    parallel --quote --halt now,fail=1 ${JOBS:+-j "$JOBS"} "$here/render-segment.sh" {} "$segments"
"${FRAMEPIPE:-framepipe}" concat -y --frames "$TOTAL" --remove-segments "$output" \
    "$segments"/part-*."${EXT:-mp4}"
rmdir "$segments"
