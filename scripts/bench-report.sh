#!/usr/bin/env bash
# Runs the benchmarks (Benchmarks/, package-benchmark) and reports on them.
#
#   scripts/bench-report.sh large       # 10k, 100k and 1M (BENCH_LARGE=1): `make bench`, ~8 minutes, then
#                                       # FootprintTool: peak RSS of `catalog` and file sizes at 1M (~3 minutes)
#   scripts/bench-report.sh full        # 10k and 100k: `make bench BENCH_MODE=full`
#   scripts/bench-report.sh smoke       # 10k sizes, loads, creates and parse (default)
#       each of these writes docs/performance.md
#   scripts/bench-report.sh check       # `make bench-smoke`, CI: the smoke subset checked against
#                                       # Benchmarks/Thresholds and Benchmarks/smoke-limits.json
#   scripts/bench-report.sh thresholds  # rewrites Benchmarks/Thresholds from a new run of the
#                                       # catalog benchmarks of that subset
#
# Results are exported with `--format influx` into Benchmarks/.bench-results (the JMH export drops
# benchmarks whose iterations take over ~2 s, such as verify at 1M).
set -euo pipefail
mode=${1:-smoke}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/Benchmarks"

benchmark=(swift package --allow-writing-to-package-directory benchmark)
# The subset CI checks: the DESC and SHOW benchmarks at 10k, the creates and parse.
check_filter='desc\..*\.10k|show\..*\.10k|create\..*|parse\..*|sql\.createConcurrent\..*|sql\.txnCreate\..*\.(1k|10k)'
# The benchmarks that have static thresholds: the catalog's own in that subset (the references'
# allocations are not the project's to keep down).
thresholds_filter='(desc|show)\..*\.catalog\.10k|(create|parse)\..*\.catalog'

case "$mode" in
smoke | full | large)
    case "$mode" in
    smoke) filter=(--filter '.*\.1?0?k|create\..*|parse\..*|sql\..*\.catalog$') ;;
    full) filter=() ;;
    large) export BENCH_LARGE=1; filter=() ;;
    esac
    rm -rf .bench-results
    command=("${benchmark[@]}" "${filter[@]}" --format influx --path .bench-results --no-progress)
    started=$(date +%s)
    "${command[@]}"
    echo "bench-report: benchmarks ran in $(( $(date +%s) - started )) s"
    if [ "$mode" = large ]; then
        # Memory and file size (docs/performance.md, "Memory and file size"): FootprintTool runs the release
        # `catalog` binary on a catalog of the benchmarks' dataset and measures its peak RSS per command, and sets
        # data.mdb beside the SQLite reference's file; bench-report.py reads .bench-results/footprint.json.
        # Both built here, beside the benchmarks' release modules (the root package's `catalog` product too).
        swift build -c release --product catalog
        swift build -c release --product FootprintTool
        .build/release/FootprintTool --catalog .build/release/catalog \
            --records "${FOOTPRINT_RECORDS:-1000000}" --output .bench-results/footprint.json
    fi
    printf -v shown '%q ' "${command[@]}"
    python3 "$root/scripts/bench-report.py" .bench-results --command "${BENCH_LARGE:+BENCH_LARGE=1 }${shown% }"
    ;;
check)
    # One run, kept as the baseline `smoke` (.benchmarkBaselines/, ignored by git); the threshold check
    # and the influx export both read that baseline, so nothing runs twice.
    rm -rf .bench-results .benchmarkBaselines/CatalogBenchmarks/smoke
    "${benchmark[@]}" baseline update smoke --filter "$check_filter" --no-progress
    failed=0
    # BenchmarkTool exits 0 when every p90 is within its threshold's tolerance, 4 when the only deviations
    # are improvements (a pass), 2 on a regression or when no thresholds are found. The plugin turns any
    # non-zero status into an error named after it, and `swift package` (6.3) then exits 1, so the
    # status is recovered from that name.
    mkdir -p .bench-results
    status=0
    "${benchmark[@]}" thresholds check smoke --path Thresholds --no-progress 2>&1 |
        tee .bench-results/thresholds-check.log || status=$?
    if [ "$status" = 1 ]; then
        if grep -q 'benchmarkThresholdImprovement' .bench-results/thresholds-check.log; then status=4
        elif grep -q 'benchmarkThresholdRegression' .bench-results/thresholds-check.log; then status=2
        fi
    fi
    case $status in
    0) echo "bench-check: ok   package-benchmark thresholds (Benchmarks/Thresholds)" ;;
    4) echo "bench-check: ok   package-benchmark thresholds, with improvements:" \
        "refresh them with scripts/bench-report.sh thresholds" ;;
    *) echo "bench-check: FAIL package-benchmark thresholds (status $status)"; failed=1 ;;
    esac
    "${benchmark[@]}" baseline read smoke --format influx --path .bench-results --no-progress >/dev/null
    python3 "$root/scripts/bench-report.py" .bench-results --output .bench-results/smoke.md \
        --command "$(printf '%q ' "${benchmark[@]}" baseline update smoke --filter "$check_filter")" \
        --check smoke-limits.json || failed=1
    exit $failed
    ;;
thresholds)
    # A new run of the catalog benchmarks of the smoke subset, then their p90 per metric written as
    # static thresholds, of which only the malloc counts are kept (wall clock moves too much on shared
    # machines; smoke-limits.json bounds time as ratios within one run instead). A p90 of 0 is left out:
    # the tolerance is relative, and package-benchmark lets anything through against 0;
    # smoke-limits.json bounds those benchmarks' mallocs per operation instead.
    "${benchmark[@]}" baseline update smoke --filter "$thresholds_filter" --no-progress
    rm -rf Thresholds
    "${benchmark[@]}" thresholds update smoke --path Thresholds --no-progress
    python3 - <<'EOF'
import json, pathlib
for path in sorted(pathlib.Path("Thresholds").glob("*.p90.json")):
    mallocs = json.loads(path.read_text())["mallocCountTotal"]
    if mallocs == 0:
        path.unlink()
        print(f"{path}: mallocCountTotal p90 0, left out (bound it in smoke-limits.json)")
        continue
    path.write_text(json.dumps({"mallocCountTotal": mallocs}, indent=2) + "\n")
    print(f"{path}: mallocCountTotal p90 {mallocs}")
EOF
    ;;
*)
    echo "usage: $0 [smoke|full|large|check|thresholds]" >&2
    exit 2
    ;;
esac
