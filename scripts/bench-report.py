#!/usr/bin/env python3
"""Writes docs/performance.md from a package-benchmark run exported in influx (or JMH) format.

    cd Benchmarks
    swift package --allow-writing-to-package-directory benchmark --format influx --path .bench-results
    python3 ../scripts/bench-report.py .bench-results/Current_run.influx.csv

The influx export is read by preference: it is one CSV holding every benchmark, every metric and the
percentiles 0, 25, 50, 75, 90, 99 and 100. Its `Time(wallclock)` values are nanoseconds per iteration
and its `Malloc(total)` values malloc calls per iteration, whatever its unit column says (that column
only names the unit the text output would scale to). The JMH export (`--format jmh`, *.jmh.json) is
still read, in microseconds, but it leaves out any benchmark whose iterations all take longer than
about 2 s (no throughput sample, "Throughput metric must be present for JMH export"), which loses
rotateKey, verify and restore at 1M.

Values are per benchmark iteration; this script divides by the operations an iteration does
(OPERATIONS below), so keep the two in step with Benchmarks/Benchmarks/CatalogBenchmarks/*.swift.

Benchmark names are `<operation>.<variant>.<implementation>[.<size>]`, implementation one of `c`,
`sqlite`, `catalog`. Catalog rows that are not there yet show as "catalog: pending".
Standard library only.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys

PREFIX = re.compile(r"^package\.benchmark\.[^.]+\.")

# Operations per benchmark iteration, by name prefix, and what one operation is.
OPERATIONS = [
    ("desc.", 1000, "lookup"),
    ("parse.", 1000, "statement"),
    ("seal.", 1000, "seal"),
    ("open.", 1000, "open"),
    ("create.batch1000.", 1, "txn of 1,000"),
    ("create.autocommit.", 1, "commit"),
    ("create.concurrent8.", 32, "commit"),
    ("create.concurrentTasks.", 200, "create"),
    ("sql.createConcurrent.", 200, "create"),
    ("load.", 10000, "record"),
    ("show.", 1, "scan"),
    ("rotateKey.", 1, "rotation"),
    ("backup.", 1, "backup"),
    ("verify.", 1, "verify"),
    ("restore.", 1, "restore"),
]

SIZES = ["1k", "10k", "100k", "1M"]
# Statements per iteration of `sql.txnCreate.catalog.<size>`: one BEGIN … COMMIT of that many creates.
TXN_SIZES = {"1k": 1000, "10k": 10000, "100k": 100000}


def operations_for(name):
    if name.startswith("sql.txnCreate."):
        return TXN_SIZES.get(name.rsplit(".", 1)[-1], 1), "statement"
    for prefix, count, unit in OPERATIONS:
        if name.startswith(prefix):
            return count, unit
    return 1, "iteration"


def per_operation(name, iteration_us, mallocs, samples):
    """One result row from per-iteration figures: p50 time in µs and p50 malloc calls."""
    ops, unit = operations_for(name)
    return {
        "iteration_us": iteration_us,
        "p50_us": iteration_us / ops,
        "mallocs": None if mallocs is None else mallocs / ops,
        "ops": ops,
        "unit": unit,
        "samples": samples,
    }


def load_jmh(path):
    """Maps benchmark name -> {p50_us, mallocs, ops, unit, ...} (per operation) from a JMH export."""
    with open(path, encoding="utf-8") as f:
        elements = json.load(f)
    results = {}
    for element in elements:
        name = PREFIX.sub("", element["benchmark"])
        secondary = element.get("secondaryMetrics", {})
        wall = secondary.get("Time (wall clock)")
        if wall is None:
            continue
        mallocs = secondary.get("Malloc (total)", {}).get("scorePercentiles", {}).get("50.0")
        samples = wall.get("rawData") and len(wall["rawData"][0]) or element.get("measurementIterations")
        results[name] = per_operation(name, wall["scorePercentiles"]["50.0"], mallocs, samples)
    return results


def load_influx(path):
    """The same map from an influx export. Rows end `metric,unit,test,percentile,value,test_average,
    iterations,warmup_iterations,time`; they are read from the right, as the machine columns before
    them are free text, and the test name is quoted when it holds a comma."""
    medians = {}  # name -> {metric: p50 value}
    samples = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 15 or row[0].startswith("#") or row[0] == "measurement":
                continue
            metric, name, percentile, value = row[-9], row[-7], row[-6], row[-5]
            if float(percentile) != 50.0:
                continue
            medians.setdefault(name, {})[metric] = int(value)
            samples[name] = int(row[-3])
    results = {}
    for name, metrics in medians.items():
        wall_ns = metrics.get("Time(wallclock)")
        if wall_ns is None:
            continue
        results[name] = per_operation(name, wall_ns / 1000, metrics.get("Malloc(total)"), samples[name])
    return results


def load_results(path):
    return load_influx(path) if path.endswith(".csv") else load_jmh(path)


def find_results(folder):
    """The export in a results folder: an influx CSV if there is one, else a JMH JSON."""
    names = os.listdir(folder)
    for suffix in (".influx.csv", ".jmh.json"):
        candidates = sorted(n for n in names if n.endswith(suffix))
        if candidates:
            return os.path.join(folder, candidates[-1])
    sys.exit(f"bench-report: no *.influx.csv or *.jmh.json in {folder}")


def read_first(path, key):
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def command_output(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine():
    bench_dir = os.environ.get("BENCH_DIR") or os.environ.get("TMPDIR") or "/tmp"
    df = command_output(["df", "-T", bench_dir]).splitlines()
    filesystem = df[1].split()[1] if len(df) > 1 else "unknown"
    memory_kb = read_first("/proc/meminfo", "MemTotal").split()[0] if os.path.exists("/proc/meminfo") else "0"
    swift = command_output(["swift", "--version"]).splitlines()
    return [
        ("CPU", read_first("/proc/cpuinfo", "model name")),
        ("cores (nproc)", str(os.cpu_count() or "unknown")),
        ("memory", f"{int(memory_kb) / 1048576:.1f} GiB" if memory_kb.isdigit() else "unknown"),
        ("kernel", " ".join(platform.uname()[0:3]) + " " + platform.uname().machine),
        ("Swift", swift[0] if swift else "unknown"),
        ("dataset directory", f"{bench_dir} ({filesystem})"),
    ]


def fmt_time(us):
    if us is None:
        return "–"
    if us < 1:
        return f"{us * 1000:.0f} ns"
    if us < 1000:
        return f"{us:.2f} µs" if us < 10 else f"{us:.1f} µs" if us < 100 else f"{us:.0f} µs"
    if us < 1_000_000:
        return f"{us / 1000:.2f} ms"
    return f"{us / 1_000_000:.2f} s"


def fmt_rate(us):
    if not us:
        return "–"
    rate = 1e6 / us
    if rate >= 1e6:
        return f"{rate / 1e6:.2f} M/s"
    if rate >= 1e3:
        return f"{rate / 1e3:.1f} k/s"
    if rate >= 10:
        return f"{rate:.0f} /s"
    return f"{rate:.2g} /s"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}×"


def ratio(results, numerator, denominator, key="p50_us"):
    a, b = results.get(numerator), results.get(denominator)
    if not a or not b or not b[key]:
        return None
    return a[key] / b[key]


def sort_key(name):
    parts = name.split(".")
    if len(parts) == 3 and parts[2] in SIZES:  # `<operation>.<implementation>.<size>`, no variant
        parts = [parts[0], "", parts[1], parts[2]]
    size = parts[3] if len(parts) > 3 else ""
    impl_order = {"catalog": 0, "c": 1, "sqlite": 2}
    return (parts[0], parts[1], SIZES.index(size) if size in SIZES else -1, impl_order.get(parts[2], 3))


def targets(results):
    """Rows: (goal, catalog figure name or None, measured ratio or None, limit text, passes?, reference)."""
    rows = []

    def add(goal, needed, value, limit, ok, reference):
        present = all(n in results for n in needed)
        rows.append((goal, present, value if present else None, limit, ok(value) if present and value else None,
                     reference))

    for size in SIZES:
        c = f"desc.getWithOpen.c.{size}"
        if c not in results:
            continue
        cat = f"desc.getWithOpen.catalog.{size}"
        add(f"DESC get-with-open ≤ 1.5× C ({size})", [cat], ratio(results, cat, c), "≤ 1.5×", lambda v: v <= 1.5,
            f"C {fmt_time(results[c]['p50_us'])}")
        e2e = f"desc.endToEnd.catalog.{size}"
        add(f"end-to-end DESC ≤ 3× C ({size})", [e2e], ratio(results, e2e, c), "≤ 3×", lambda v: v <= 3,
            f"C {fmt_time(results[c]['p50_us'])}")
        sq = f"desc.getWithOpen.sqlite.{size}"
        if sq in results:
            add(f"DESC ≥ 3× faster than SQLite ({size})", [cat], ratio(results, sq, cat), "≥ 3×",
                lambda v: v >= 3, f"SQLite {fmt_time(results[sq]['p50_us'])}")
        decoded = f"desc.getDecodeOpen.catalog.{size}"
        add(f"get-with-open, whole record decoded ÷ C ({size})", [decoded], ratio(results, decoded, c), "report",
            lambda v: True, f"C {fmt_time(results[c]['p50_us'])}")
    for size in SIZES:
        c = f"show.like.c.{size}"
        if c in results:
            cat = f"show.like.catalog.{size}"
            add(f"SHOW scan ≤ 2× C ({size})", [cat], ratio(results, cat, c), "≤ 2×", lambda v: v <= 2,
                f"C {fmt_time(results[c]['p50_us'])}")
            sq = f"show.like.sqlite.{size}"
            if sq in results:
                add(f"SHOW ahead of SQLite ({size})", [cat], ratio(results, sq, cat), "> 1×", lambda v: v > 1,
                    f"SQLite {fmt_time(results[sq]['p50_us'])}")
    if "create.batch1000.c" in results:
        add("create 1,000/txn ≤ 1.4× C", ["create.batch1000.catalog"],
            ratio(results, "create.batch1000.catalog", "create.batch1000.c"), "≤ 1.4×", lambda v: v <= 1.4,
            f"C {fmt_time(results['create.batch1000.c']['p50_us'])}")
    if "create.batch1000.sqlite" in results:
        add("batch create ahead of SQLite", ["create.batch1000.catalog"],
            ratio(results, "create.batch1000.sqlite", "create.batch1000.catalog"), "> 1×", lambda v: v > 1,
            f"SQLite {fmt_time(results['create.batch1000.sqlite']['p50_us'])}")
    rows += whole_catalog_targets(results)
    c1m = "desc.getWithOpen.c.1M"
    reference = (f"C itself: {fmt_ratio(ratio(results, c1m, 'desc.getWithOpen.c.10k'))}" if c1m in results
                 else "run with BENCH_LARGE=1 for 1M")
    add("DESC at 1M ≤ 1.5× DESC at 10k", ["desc.getWithOpen.catalog.1M", "desc.getWithOpen.catalog.10k"],
        ratio(results, "desc.getWithOpen.catalog.1M", "desc.getWithOpen.catalog.10k"), "≤ 1.5×",
        lambda v: v <= 1.5, reference)
    if "create.autocommit.c" in results:
        add("autocommit create within 1.2× of one synced LMDB commit", ["create.autocommit.catalog"],
            ratio(results, "create.autocommit.catalog", "create.autocommit.c"), "≤ 1.2×", lambda v: v <= 1.2,
            f"C {fmt_time(results['create.autocommit.c']['p50_us'])}")
    if "create.concurrent8.sqlite" in results:
        sq = results["create.concurrent8.sqlite"]
        add("8 concurrent writers ≥ 2× SQLite WAL synchronous=FULL commits/s", ["create.concurrent8.catalog"],
            ratio(results, "create.concurrent8.sqlite", "create.concurrent8.catalog"), "≥ 2×", lambda v: v >= 2,
            f"SQLite {fmt_rate(sq['p50_us'])} commits")
    if "create.concurrentTasks.catalog" in results:
        library = results["create.concurrentTasks.catalog"]
        add("200 concurrent CREATEs through Session ≤ 2× the same creates through Catalog.write",
            ["sql.createConcurrent.catalog"],
            ratio(results, "sql.createConcurrent.catalog", "create.concurrentTasks.catalog"), "≤ 2×",
            lambda v: v <= 2, f"library {fmt_time(library['p50_us'])} per create")
    if "sql.txnCreate.catalog.1k" in results:
        one_k = results["sql.txnCreate.catalog.1k"]
        for size in ["10k", "100k"]:
            add(f"BEGIN … COMMIT: per statement at {size} ≤ 1.3× at 1k", [f"sql.txnCreate.catalog.{size}"],
                ratio(results, f"sql.txnCreate.catalog.{size}", "sql.txnCreate.catalog.1k"), "≤ 1.3×",
                lambda v: v <= 1.3, f"1k: {fmt_time(one_k['p50_us'])} per statement")
    if "sql.txnCreate.catalog.100k" in results:
        whole = results["sql.txnCreate.catalog.100k"]["iteration_us"] / 1e6
        rows.append(("100,000 creates in one BEGIN … COMMIT in under 10 s", True, whole, "< 10 s",
                     whole < 10, f"{whole:.2f} s for the whole transaction"))
    for size in SIZES:
        c = f"desc.getWithOpen.c.{size}"
        if c not in results:
            continue
        cat = f"desc.getWithOpen.catalog.{size}"
        sq = results.get(f"desc.getWithOpen.sqlite.{size}")
        value = results[cat]["mallocs"] if cat in results else None
        present = cat in results
        rows.append((f"heap allocations per get-with-open ({size})", present,
                     value, "0 (stretch goal)", present and value == 0,
                     f"C {results[c]['mallocs']:.0f}, SQLite {sq['mallocs']:.0f}" if sq else ""))
    return rows


# --- Whole-catalog operations, memory and file size (issue 17: verify / restore / rotate-key, backup, RSS,
# data.mdb beside SQLite). One block: the rows below, the footprint section and FOOTPRINT_FILE. ---

# Written by Benchmarks/Sources/FootprintTool (scripts/bench-report.sh large) beside the benchmark export.
FOOTPRINT_FILE = "footprint.json"
RSS_LIMIT_MB = 200


def whole_catalog_targets(results, footprint=None):
    """Rows for verify, restore and rotate-key at 1M (≤ 2 s each), backup ≤ 2× the C compacted copy, and, from
    the footprint run, peak RSS of `catalog` verify / restore / import (< 200 MB) and data.mdb beside SQLite."""
    rows = []
    for operation, label in [("verify", "verify"), ("restore", "restore"), ("rotateKey", "rotate-key")]:
        name = f"{operation}.catalog.1M"
        present = name in results
        seconds = results[name]["iteration_us"] / 1e6 if present else None
        mallocs = results[name]["mallocs"] if present else None
        per_record = (f"{mallocs / 1e6:.3g} mallocs a record" if mallocs is not None
                      else "run with BENCH_LARGE=1")
        rows.append((f"{label} of 1M connections ≤ 2 s", present, seconds, "≤ 2 s",
                     present and seconds <= 2, per_record))
    for size in SIZES:
        c = f"backup.c.{size}"
        if c in results:
            cat = f"backup.catalog.{size}"
            present = cat in results
            value = ratio(results, cat, c)
            rows.append((f"backup ≤ 2× C compacted copy ({size})", present, value, "≤ 2×",
                         present and value is not None and value <= 2, f"C {fmt_time(results[c]['p50_us'])}"))
    footprint = footprint if footprint is not None else FOOTPRINT.get("data")
    if footprint:
        records = footprint.get("records", 0)
        size = f"{records / 1e6:g}M" if records >= 1e6 else f"{records / 1e3:g}k"
        commands = {c["name"]: c for c in footprint.get("commands", [])}
        for name in ["verify", "restore", "import"]:
            command = commands.get(name)
            present = command is not None and command.get("status") == 0
            mb = command["peak_rss_kib"] * 1024 / 1e6 if present else None
            rows.append((f"peak RSS of `catalog {name}` ({size}) < {RSS_LIMIT_MB} MB", present, mb,
                         f"< {RSS_LIMIT_MB} MB", present and mb < RSS_LIMIT_MB,
                         f"{command['seconds']:.1f} s" if command else "no footprint run"))
        files = footprint.get("files", {})
        lmdb, sqlite = files.get("catalog_data_mdb"), (files.get("sqlite_db", 0) + files.get("sqlite_wal", 0))
        if lmdb and sqlite:
            rows.append((f"data.mdb beside SQLite's file ({size})", True, lmdb / sqlite, "report", True,
                         f"{lmdb / 2**20:.0f} MiB vs SQLite {sqlite / 2**20:.0f} MiB"))
    else:
        rows.append(("peak RSS of `catalog` verify / restore / import (1M) < 200 MB", False, None,
                     f"< {RSS_LIMIT_MB} MB", None, "scripts/bench-report.sh large runs FootprintTool"))
        rows.append(("data.mdb beside SQLite's file (1M)", False, None, "report", None,
                     "scripts/bench-report.sh large runs FootprintTool"))
    return rows


# The footprint run read by main(), if its file is in the results folder.
FOOTPRINT = {}


def load_footprint(folder):
    path = os.path.join(folder, FOOTPRINT_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def footprint_section():
    """The "Memory and file size" section, from the footprint run (empty without one)."""
    data = FOOTPRINT.get("data")
    if not data:
        return []
    lines = ["", "## Memory and file size", "",
             f"From `FootprintTool` (`Benchmarks/Sources/FootprintTool`): {data.get('records', 0):,} connections "
             "(the benchmarks' dataset), each command a run of the release `catalog` binary; peak RSS is wait4's",
             "`ru_maxrss`, the high-water mark of resident pages, the pages of the files it maps included (a child's",
             f"figure starts at its parent's, {data.get('tool_peak_rss_kib', 0) / 1024:.0f} MiB here).", "",
             "| command | time | peak RSS |", "|---|---:|---:|"]
    for command in data.get("commands", []):
        status = "" if command.get("status") == 0 else f" (exit {command.get('status')})"
        lines.append(f"| `catalog {command['name']}`{status} | {command['seconds']:.2f} s | "
                     f"{command['peak_rss_kib'] / 1024:.0f} MiB |")
    names = {"catalog_data_mdb": "catalog `data.mdb`", "backup_data_mdb": "its backup's `data.mdb` (compacted)",
             "imported_data_mdb": "`data.mdb` after importing its export", "export_jsonl": "its export (JSON lines)",
             "sqlite_db": "SQLite reference, database file", "sqlite_wal": "SQLite reference, WAL file"}
    lines += ["", "| file | size |", "|---|---:|"]
    for key, label in names.items():
        if key in data.get("files", {}):
            lines.append(f"| {label} | {data['files'][key] / 2**20:.1f} MiB |")
    return lines


# --- end of the whole-catalog block ---


def render(results, source, command):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Performance",
        "",
        "Generated by `scripts/bench-report.py` from a package-benchmark run of `Benchmarks/`; do not edit by",
        "hand, run it again. The catalog is judged against two references measured in the same run:",
        "",
        "- **C**: the same storage and sealing work in plain C on liblmdb and libsodium",
        "  (`Benchmarks/Sources/RawBaseline`), the floor.",
        "- **SQLite**: one `connections` table through GRDB, WAL, `synchronous = FULL`, prepared statements,",
        "  sealed values opened with the same C code (`Benchmarks/Sources/Baselines/SQLiteStore.swift`).",
        "",
        "Records are ~300 bytes keyed by 16-byte ids, with a `workspace \\0 name → id` index and a 16-character",
        "external ID sealed with XChaCha20-Poly1305 (24-byte nonce, 60 bytes of additional data).",
        "",
        "## Run",
        "",
        f"- date: {now}",
        f"- results: `{source}`",
        f"- command: `{command}`",
    ]
    lines += [f"- {k}: {v}" for k, v in machine()]
    lines += [
        "",
        "## Results (p50)",
        "",
        "Times are medians per operation; an iteration does `ops` operations (1,000 lookups for DESC,",
        "32 commits for 8 writers, 10,000 records for a load). Allocations are malloc calls per operation;",
        "samples are the measured iterations (whole-catalog operations at 1M get only a few).",
        "",
        "| benchmark | p50 / op | rate | ops / iteration | p50 / iteration | mallocs / op | samples |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in sorted(results, key=sort_key):
        r = results[name]
        mallocs = "–" if r["mallocs"] is None else (f"{r['mallocs']:.0f}" if r["mallocs"] >= 10
                                                    else f"{r['mallocs']:.2f}")
        lines.append(f"| `{name}` | {fmt_time(r['p50_us'])} | {fmt_rate(r['p50_us'])} ({r['unit']}) | {r['ops']} | "
                     f"{fmt_time(r['iteration_us'])} | {mallocs} | {r['samples'] or '–'} |")

    lines += ["", "## SQLite ÷ C", "", "How far the SQLite store is from the floor, per benchmark pair.", "",
              "| benchmark | C | SQLite | SQLite ÷ C |", "|---|---:|---:|---:|"]
    for name in sorted(results, key=sort_key):
        parts = name.split(".")
        if len(parts) < 3 or parts[2] != "c":
            continue
        other = ".".join(parts[:2] + ["sqlite"] + parts[3:])
        if other in results:
            lines.append(f"| `{'.'.join(parts[:2] + ['*'] + parts[3:])}` | {fmt_time(results[name]['p50_us'])} | "
                         f"{fmt_time(results[other]['p50_us'])} | {fmt_ratio(ratio(results, other, name))} |")

    lines += ["", "## The project's targets", "",
              "Ratios are ours ÷ C and SQLite ÷ ours, on p50. Rows without catalog benchmarks yet read",
              "**catalog: pending**; they fill in once `*.catalog.*` benchmarks exist (names in",
              "`CatalogBenchmarks.swift`).", "",
              "| target | catalog | limit | verdict | reference |", "|---|---:|---|---|---|"]
    for goal, present, value, limit, ok, reference in targets(results):
        if not present:
            shown, verdict = "**catalog: pending**", "pending"
        elif goal.startswith("heap"):
            shown, verdict = f"{value:.1f}", "pass" if ok else "not reached"
        elif limit.endswith(" s"):
            shown, verdict = f"{value:.2f} s", "pass" if ok else "**FAIL**"
        elif limit.endswith(" MB"):
            shown, verdict = f"{value:.0f} MB", "pass" if ok else "**FAIL**"
        elif limit == "report":
            shown, verdict = fmt_ratio(value), "reported"
        else:
            shown, verdict = fmt_ratio(value), "pass" if ok else "**FAIL**"
        lines.append(f"| {goal} | {shown} | {limit} | {verdict} | {reference} |")

    lines += footprint_section()
    lines += ["", "## Reading these numbers", "",
              "- The machine has 2 shared cores and a virtual disk: synced commits (`create.autocommit.*`,",
              "  `create.concurrent8.*`, `create.batch1000.*`) depend on the host's disk and vary from run to run;",
              "  compare implementations within one run, not across runs.",
              "- `desc.getWithOpen.c` reuses one read transaction (`mdb_txn_reset` / `mdb_txn_renew`), as a",
              "  careful LMDB user does; `desc.getWithOpen.sqlite` reads through a GRDB `DatabasePool`",
              "  (`unsafeRead`, one cached statement), whose per-read cost is most of its time.",
              "- `desc.getWithOpen.catalog` is `CatalogReader.withSecret(.externalID, ofConnectionNamed:in:)`: the",
              "  name index, the record (its frame and CRC-32C checked, only id, workspace and the sealed field",
              "  read) and the AEAD open in place, as the C reference does. `desc.getDecodeOpen.catalog` decodes",
              "  the whole record into a `Connection` first (`connection(named:in:)` + `externalID(of:)`), as a",
              "  Swift caller does. `desc.endToEnd.catalog` is the SQL statement: parsing, the rows shown straight",
              "  from the stored record (`ConnectionDetailView`, no `Connection` decoded), the open and the table.",
              "- `show.like.*`: every implementation scans the name index and matches each name (one in eight",
              "  match). C and SQLite then read the record of each match; the catalog (schema 4) reads what it",
              "  lists from the name index entry itself (its checksum checked) and looks up no record, writing",
              "  each row straight from the entry's bytes into the result.",
              "- `create.batch1000.catalog` builds its 1,000 `ConnectionDraft`s before the measured region; the",
              "  references format their records inside it, with C code that costs next to nothing.",
              "- A target of the form \"at 1M ≤ 1.5× at 10k\" compares a lookup with itself: the fewer",
              "  instructions a lookup takes, the larger the share of the cache misses that 1M adds, so it",
              "  is best read beside C's own 1M ÷ 10k (in the reference column).",
              "- One synced LMDB commit (`create.autocommit.c`) flushes to disk twice: the data pages, then",
              "  the meta page (LMDB's default; `MDB_NOMETASYNC` would drop the second). A SQLite commit in WAL",
              "  mode with `synchronous = FULL` flushes once, the appended WAL; that is why SQLite's autocommitted",
              "  create can beat the LMDB floor here.",
              "- `create.concurrent8.*`: 8 writers × 4 autocommitted creates per iteration. C and SQLite",
              "  serialize them, each create its own synced commit; the catalog's writers use the async `write`,",
              "  whose group commit shares one synced commit among the writes waiting together.",
              "- `backup.c` is only the storage floor of a backup: one compacted `mdb_env_copyfd2` into a new file,",
              "  synced. `backup.catalog` adds what makes it a backup: the keyed BLAKE2b tree checksum (its leaves",
              "  hashed on both cores from a pipe while LMDB writes the copy), the manifest (the copy opened to check",
              "  its counts), the atomic",
              "  renames and directory syncs.",
              "- `verify` streams the backup through its checksum into a scratch copy, then checks every record and",
              "  opens every sealed value on both cores, a chunk at a time; `restore` does the same into a staging",
              "  copy synced meanwhile and swaps it in; `rotateKey` re-seals every sealed value (current and history)",
              "  in one write transaction, a chunk at a time on both cores.",
              ""]
    return "\n".join(lines)


# Everything after this line in the report is written by hand (figures from other runs, such as the etcd
# benchmarks, which start their own cluster) and kept as it is when the report is written again.
KEEP_MARKER = "<!-- bench-report.py keeps everything below this line -->"


def kept_sections(output):
    """The hand-written part of the existing report, from KEEP_MARKER on, or nothing."""
    try:
        with open(output, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return ""
    at = text.find(KEEP_MARKER)
    return "" if at < 0 else "\n" + text[at:]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a package-benchmark export (Current_run.influx.csv or Current_run.jmh.json) "
                                            "or a folder holding one")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--output", default=os.path.join(here, "..", "docs", "performance.md"))
    parser.add_argument("--command", default="swift package --allow-writing-to-package-directory benchmark "
                                             "--format influx --path .bench-results",
                        help="the benchmark command that made the results, recorded in the report")
    parser.add_argument("--check", metavar="LIMITS",
                        help="a JSON file of limits (Benchmarks/smoke-limits.json); exit 1 if a result breaks one")
    args = parser.parse_args()
    path = args.results
    if os.path.isdir(path):
        path = find_results(path)
    results = load_results(path)
    FOOTPRINT["data"] = load_footprint(os.path.dirname(path))
    if not results:
        sys.exit(f"bench-report: no benchmark results in {path}")
    report = render(results, os.path.relpath(path, os.path.join(here, "..")), args.command)
    # Read the hand-written part before opening the report for writing, which empties it.
    kept = kept_sections(args.output)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(report + kept)
    print(f"bench-report: wrote {os.path.normpath(args.output)} ({len(results)} benchmarks)")
    if args.check:
        sys.exit(check(results, args.check))


def check(results, limits_path):
    """Compares ratios within this run (robust on shared machines) and malloc counts (exact) with limits.

    Each limit is {"ratio": [numerator, denominator], "max": x} or {"mallocs": name, "max": x}. Returns the
    exit status: 0 when every limit holds, 1 when one is broken or its benchmarks did not run.
    """
    with open(limits_path, encoding="utf-8") as f:
        limits = json.load(f)["limits"]
    failures = 0
    for limit in limits:
        if "ratio" in limit:
            numerator, denominator = limit["ratio"]
            value = ratio(results, numerator, denominator)
            label = f"{numerator} / {denominator}"
        else:
            entry = results.get(limit["mallocs"])
            value = None if entry is None else entry["mallocs"]
            label = f"mallocs per op of {limit['mallocs']}"
        if value is None:
            print(f"bench-check: MISSING {label}")
            failures += 1
        elif value > limit["max"]:
            print(f"bench-check: FAIL {label} = {value:.2f} > {limit['max']}")
            failures += 1
        else:
            print(f"bench-check: ok   {label} = {value:.2f} <= {limit['max']}")
    return 1 if failures else 0


if __name__ == "__main__":
    main()
