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

sources=../Sources/CatalogSQL
swiftc -module-name FuzzParser -parse-as-library -O -g -sanitize=fuzzer,address \
    -swift-version 6 \
    -enable-upcoming-feature ExistentialAny \
    -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault \
    "$sources"/SQLSyntaxError.swift "$sources"/Lexing/*.swift "$sources"/Parsing/*.swift \
    "$sources"/Redaction/*.swift Sources/FuzzParser/FuzzParser.swift \
    -o "$out/fuzz-parser"

if [ "$seconds" = 0 ] && [ $# -gt 1 ]; then
    shift
    exec "$out/fuzz-parser" "$@"
fi

exec "$out/fuzz-parser" -max_total_time="$seconds" -dict=sql.dict -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$out/" "$out/corpus" Corpus
