#!/bin/sh
# `make bench`: framepipe's benchmark (issue 7). Usage: bench/run.sh [BUILD_DIR] [bench.py options]
# BENCH_PAIRS=N sets the rounds per comparison (default 15), BENCH_QUICK=1 a quick check run.
# Writes bench/results/latest.md; docs/performance.md quotes it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
exec /usr/bin/python3 "$here/bench.py" "$build" "$@"
