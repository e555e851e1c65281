#!/bin/sh
# Renders a TOTAL-frame video on a Slurm cluster in windows of WINDOW frames, one array task
# each, then joins them in a job that starts only when all of them succeeded.
#   TOTAL=9000 WINDOW=600 OUTPUT=$PWD/movie.mp4 SEGMENTS=$PWD/parts examples/segments/submit-slurm.sh
# SEGMENTS must be on storage every node sees. WAIT=1 returns only when the join has finished,
# exiting 0 only if it completed. Other settings: see render-segment.sh.
set -eu
: "${TOTAL:?set TOTAL, the number of frames}" "${WINDOW:=600}"
: "${OUTPUT:=$PWD/movie.${EXT:-mp4}}" "${SEGMENTS:=$PWD/segments}"
EXAMPLES=$(cd "$(dirname "$0")" && pwd)
export TOTAL WINDOW OUTPUT SEGMENTS EXAMPLES
tasks=$(((TOTAL + WINDOW - 1) / WINDOW))
render=$(sbatch --parsable --array=0-$((tasks - 1)) "$EXAMPLES/slurm-render.sbatch")
render=${render%%;*} # "jobid;cluster" on multi-cluster setups
echo "render job $render: $tasks tasks of up to $WINDOW frames"
join_args="--parsable --dependency=afterok:$render --kill-on-invalid-dep=yes"
if [ "${WAIT:-0}" != 1 ]; then
    # shellcheck disable=SC2086
    sbatch $join_args "$EXAMPLES/slurm-join.sbatch"
    exit 0
fi
# Polled rather than `sbatch --wait`, which exits 0 for a join cancelled because a render task
# failed, and checks only every 30 s or so.
# shellcheck disable=SC2086
join=$(sbatch $join_args "$EXAMPLES/slurm-join.sbatch")
join=${join%%;*}
while :; do
    state=$(scontrol show job "$join" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case $state in
        PENDING | CONFIGURING | RUNNING | COMPLETING | SUSPENDED | REQUEUED) sleep 1 ;;
        *) break ;;
    esac
done
echo "join job $join: ${state:-unknown}"
[ "$state" = COMPLETED ]
