# Connection Catalog. `make run` and `make test` install what they need first, so on a fresh machine each is
# the whole set-up.
SHELL := /bin/bash
PACKAGES := liblmdb-dev libsodium-dev libedit-dev lmdb-utils pkg-config etcd-server etcd-client tmux
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ARGS ?=
# Extra flags for swift build/test; CI passes -Xswiftc -warnings-as-errors.
SWIFT_FLAGS ?=

.PHONY: deps build test run fixtures bench bench-smoke fuzz docs api api-check format lint clean

## deps: install the system packages (apt-get), skipping those already present.
deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## build: debug build of every target.
build: deps
	swift build $(SWIFT_FLAGS)

## test: the whole test suite.
test: deps
	swift test $(SWIFT_FLAGS)

## run: the SQL shell on the default catalog (created, with its key file, on first use). ARGS='…' passes options.
run: deps
	swift build --product catalog
	./.build/debug/catalog $(ARGS)

## bench: every benchmark at 10k, 100k and 1M (~8 min here), then docs/performance.md from the run.
## BENCH_MODE=full leaves out 1M (~2 min), BENCH_MODE=smoke runs the 10k sizes, loads, creates and parse (~1 min).
bench: deps
	scripts/bench-report.sh $(or $(BENCH_MODE),large)

## bench-smoke: the 10k DESC/SHOW, create and parse benchmarks, run once and checked against Benchmarks/Thresholds
## (package-benchmark's malloc p90s; its exit status 4, improvements only, passes) and Benchmarks/smoke-limits.json
## (ratios within the run). CI runs it.
bench-smoke: deps
	scripts/bench-report.sh check

## docs: the DocC archives of ConnectionCatalog and CatalogSQL (swift-docc-plugin), warnings as errors
docs: deps
	swift package generate-documentation --target ConnectionCatalog --warnings-as-errors
	swift package generate-documentation --target CatalogSQL --warnings-as-errors

## api: rewrite api/<Module>.txt, the public declarations of each library module (from its symbol graph)
## api-check: fail with a diff when the built public API differs from api/ (CI runs it)
SYMBOL_GRAPHS = $(shell dirname $$(swift build --show-bin-path))/symbolgraph
api: deps
	swift package dump-symbol-graph --minimum-access-level public >/dev/null
	scripts/public-api.py $(SYMBOL_GRAPHS) api
api-check: deps
	swift package dump-symbol-graph --minimum-access-level public >/dev/null
	scripts/public-api.py $(SYMBOL_GRAPHS) api --check

## format: rewrite the Swift sources in place by .swift-format (swift format, part of the toolchain)
## lint: check them against .swift-format without changing anything, every finding an error (CI runs it)
FORMATTED = Sources Tests Package.swift Benchmarks/Package.swift Benchmarks/Benchmarks Benchmarks/Sources Fuzz/Package.swift Fuzz/Sources
format:
	swift format --in-place --recursive --parallel $(FORMATTED)
lint:
	swift format lint --strict --recursive --parallel $(FORMATTED)

## fuzz: the parser fuzzer for FUZZ_SECONDS (default 600), with the committed corpus.
fuzz: deps
	Fuzz/run.sh $(or $(FUZZ_SECONDS),600)

## fixtures: rewrite Tests/Fixtures/schema-vN for every schema version before the current one.
fixtures: deps
	swift build --product FixtureWriter
	current=$$(grep -o 'currentVersion = [0-9]*' Sources/ConnectionCatalog/Schema/SchemaHistory.swift | grep -o '[0-9]*$$'); \
	for version in $$(seq 1 $$((current - 1))); do \
		rm -rf Tests/Fixtures/schema-v$$version; \
		./.build/debug/FixtureWriter Tests/Fixtures/schema-v$$version $$version; \
		rm -f Tests/Fixtures/schema-v$$version/lock.mdb; \
	done

clean:
	rm -rf .build
