#!/usr/bin/env bash
# Runs the benchmarks and writes docs/performance.md from them.
#
#   scripts/bench-report.sh smoke   # 10k sizes and the creates, under ~2 minutes (default)
#   scripts/bench-report.sh full    # 10k and 100k
#   scripts/bench-report.sh large   # 10k, 100k and 1M (BENCH_LARGE=1), takes long
set -euo pipefail
mode=${1:-smoke}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/Benchmarks"
case "$mode" in
    smoke) filter=(--filter '.*\.10k|create\..*|parse\..*') ;;
    full) filter=() ;;
    large) export BENCH_LARGE=1; filter=() ;;
    *) echo "usage: $0 [smoke|full|large]" >&2; exit 2 ;;
esac
rm -rf .bench-results
command=(swift package --allow-writing-to-package-directory benchmark "${filter[@]}"
    --format influx --path .bench-results --no-progress)
"${command[@]}"
printf -v shown '%q ' "${command[@]}"
python3 "$root/scripts/bench-report.py" .bench-results --command "${BENCH_LARGE:+BENCH_LARGE=1 }${shown% }"
