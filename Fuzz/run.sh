#!/bin/sh
# Builds the parser fuzzer with libFuzzer and AddressSanitizer, then fuzzes for SECONDS (default 60).
#
#   Fuzz/run.sh 300          fuzz for five minutes
#   Fuzz/run.sh 0 FILE...    replay inputs (a crash artifact, the corpus) without fuzzing
#
# New interesting inputs go to .build/fuzz/corpus (not committed); crashes are written to
# .build/fuzz/crash-*; copy a fixed crash into Corpus/ so it is replayed forever after.
set -eu
cd "$(dirname "$0")"
seconds=${1:-60}
out=.build/fuzz
mkdir -p "$out/corpus"

# Every source of the syntax target (it has no dependency), compiled into one module with the entry point.
sources=$(find ../Sources/CatalogSQLSyntax -name '*.swift' | sort)
# shellcheck disable=SC2086 # one word per path; the paths have no spaces
swiftc -module-name FuzzParser -package-name Fuzz -parse-as-library -O -g -sanitize=fuzzer,address \
    -swift-version 6 \
    -enable-upcoming-feature ExistentialAny \
    -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault \
    $sources Sources/FuzzParser/FuzzParser.swift \
    -o "$out/fuzz-parser"

if [ "$seconds" = 0 ] && [ $# -gt 1 ]; then
    shift
    exec "$out/fuzz-parser" "$@"
fi

exec "$out/fuzz-parser" -max_total_time="$seconds" -dict=sql.dict -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$out/" "$out/corpus" Corpus
