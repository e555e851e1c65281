#!/bin/sh
# Renders a TOTAL-frame video on a Slurm cluster in windows of WINDOW frames, one array task
# each, then joins them in a job that starts only when all of them succeeded.
#   TOTAL=9000 WINDOW=600 OUTPUT=$PWD/movie.mp4 SEGMENTS=$PWD/parts examples/segments/submit-slurm.sh
# SEGMENTS must be on storage every node sees. WAIT=1 returns only when the join has finished,
# with its exit status. Other settings: see render-segment.sh.
set -eu
: "${TOTAL:?set TOTAL, the number of frames}" "${WINDOW:=600}"
: "${OUTPUT:=$PWD/movie.${EXT:-mp4}}" "${SEGMENTS:=$PWD/segments}"
EXAMPLES=$(cd "$(dirname "$0")" && pwd)
export TOTAL WINDOW OUTPUT SEGMENTS EXAMPLES
tasks=$(((TOTAL + WINDOW - 1) / WINDOW))
render=$(sbatch --parsable --array=0-$((tasks - 1)) "$EXAMPLES/slurm-render.sbatch")
render=${render%%;*} # "jobid;cluster" on multi-cluster setups
echo "render job $render: $tasks tasks of up to $WINDOW frames"
wait_flag=
[ "${WAIT:-0}" = 1 ] && wait_flag=--wait
sbatch --parsable $wait_flag --dependency=afterok:"$render" --kill-on-invalid-dep=yes \
    "$EXAMPLES/slurm-join.sbatch"
