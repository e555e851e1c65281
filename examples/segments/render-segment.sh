#!/bin/sh
# Renders and encodes one window of a long video as a segment: WINDOW frames from frame FIRST
# (fewer for the last window of a TOTAL-frame video).
#   TOTAL=9000 WINDOW=600 render-segment.sh FIRST DIR
# writes DIR/part-FIRST.mp4. The renderer here is examples/producer (a bouncing ball): put your
# simulation in its place, started at frame FIRST. Settings come from the environment, the same
# for every segment (they must match for `framepipe concat`):
#   FRAMEPIPE (default framepipe), PRODUCER (default producer on PATH), SIZE (640x360),
#   FPS (30), PRESET (x264-crf17), EXT (mp4).
set -eu
first=$1 dir=$2
count=$((TOTAL - first < WINDOW ? TOTAL - first : WINDOW))
size=${SIZE:-640x360}
mkdir -p "$dir"
# -y: a task Slurm requeues, or parallel retries, replaces the segment a failed attempt left.
"${PRODUCER:-producer}" "${size%x*}" "${size#*x}" "$count" "$first" |
    "${FRAMEPIPE:-framepipe}" -q -y --size "$size" --pix-fmt rgb24 --fps "${FPS:-30}" \
        --preset "${PRESET:-x264-crf17}" --segment-start "$first" "$dir/part-$first.${EXT:-mp4}"
