# Build, serve and test ualign and its web app. Everything runs offline once the tools are in:
# `make serve` and `make test` install what is missing via scripts/install-tools.sh.
#
#   make dist    release site in dist/ (app-<hash>_bg.wasm, worker_bg.wasm)
#   make serve   build the release site and serve it on http://127.0.0.1:$(PORT)/
#   make test    fmt, the core's web-free graph, clippy (native and wasm32), the release site,
#                every cargo test of the workspace incl. browser and the stable fuzzer's smoke run
#                (20,000 inputs per target)
#   make fuzz    every fuzz target on both engines (stable and libFuzzer, which needs cargo-fuzz),
#                FUZZ_INPUTS inputs each (default 1,000,000), each count printed with the commit
#   make sizes   each file of the first download, and their total, gzip -9
#   make bench   the core's timing benchmarks; make bench-browser: screenshots and page timings
#   make budgets fail if the first download (every file a first visit fetches, gzip -9) is over
#                440,000 bytes

SHELL := /bin/bash
PORT ?= 8080

# binaryen's wasm-opt from npm comes first on PATH: Debian's binaryen is too old for rustc 1.95.
# Trunk never downloads (Trunk.toml offline = true) and skips its update check.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true

.PHONY: all tools web-tools fetch dist serve test fmt boundary clippy clippy-wasm cargo-test sizes budgets clean-dist bench bench-browser lighthouse fuzz fuzz-smoke

all: dist

tools:
	bash scripts/install-tools.sh all

web-tools:
	bash scripts/install-tools.sh web

# Trunk runs cargo --offline, so the crates must be in the local cache first.
fetch:
	cargo fetch

dist: web-tools fetch
	trunk build --release

serve: web-tools fetch
	@echo "serving on http://127.0.0.1:$(PORT)/"
	trunk serve --release --address 127.0.0.1 --port $(PORT) --no-autoreload

fmt:
	cargo fmt --all -- --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings

clippy-wasm:
	cargo clippy --target wasm32-unknown-unknown -p ualign-web -p ualign --lib --bins -- -D warnings

# The core's dependency graph (normal, build and dev, every target) holds no web crate, so the
# core builds, tests and runs anywhere; a `use yew` in it fails to compile.
WEB_CRATES := yew|yew-[a-z-]+|web-sys|js-sys|wasm-bindgen|wasm-bindgen-[a-z-]+|plotters|plotters-[a-z]+|gloo|gloo-[a-z-]+|thirtyfour|tokio
boundary:
	@tree=$$(cargo tree -p ualign --edges normal,build,dev --target all --prefix none --format '{p}' | awk '{print $$1}' | sort -u); \
	bad=$$(echo "$$tree" | grep -xE '$(WEB_CRATES)' || true); \
	if [ -n "$$bad" ]; then echo "boundary: the core depends on web crates: $$bad"; exit 1; fi; \
	echo "boundary: the core's $$(echo "$$tree" | wc -l) crates include no web crate"

# Runs after dist: tests/browser.rs serves dist/ and drives headless Chromium.
# The crate has no doctests, so --all-targets: cargo's own last line is then a real suite's.
# A closing total over every suite follows, so the log ends on what ran. A browser test that
# cannot run here (outside CI) passes for cargo but prints `skipped: NAME (reason)`: the total
# counts those tests as skipped, not passed (the line may land mid-line beside libtest's own).
cargo-test:
	@mkdir -p target
	set -o pipefail; cargo test --workspace --all-targets 2>&1 | tee target/cargo-test.log
	@awk -f scripts/test-total.awk target/cargo-test.log

test: tools fetch fmt boundary clippy clippy-wasm dist budgets cargo-test

# The whole first download, as a visitor's browser fetches it gzipped: both wasm files, both JS
# glue files and the worker's loader, the CSS and index.html, each gzip -9. `make sizes` lists
# each file; `make budgets` (run by `make test` after dist) fails when the total is over.
FIRST_DOWNLOAD := dist/index.html dist/app-*[0-9a-f].js dist/app-*_bg.wasm dist/worker_loader.js \
	dist/worker.js dist/worker_bg.wasm dist/style-*.css
FIRST_DOWNLOAD_BUDGET := 440000

sizes:
	@total=0; \
	for pattern in $(FIRST_DOWNLOAD); do \
	  files=( $$pattern ); \
	  if [ "$${#files[@]}" -ne 1 ] || [ ! -f "$${files[0]}" ]; then \
	    echo "expected exactly one $$pattern (run make dist)"; exit 1; \
	  fi; \
	  gz=$$(gzip -9c "$${files[0]}" | wc -c); total=$$((total + gz)); \
	  printf '%-40s %8d bytes, gzip -9: %8d bytes\n' "$${files[0]}" "$$(stat -c %s "$${files[0]}")" "$$gz"; \
	done; \
	printf '%-40s %8s        gzip -9: %8d bytes\n' "first download" "" "$$total"

budgets:
	@total=$$($(MAKE) -s sizes | awk '/^first download/ { print $$NF == "bytes" ? $$(NF-1) : $$NF }'); \
	if [ -z "$$total" ]; then $(MAKE) -s sizes; exit 1; fi; \
	if [ "$$total" -le $(FIRST_DOWNLOAD_BUDGET) ]; then verdict=ok; else verdict="OVER BUDGET"; fi; \
	printf 'budget: first download %d bytes gzip -9, limit %d bytes: %s\n' "$$total" $(FIRST_DOWNLOAD_BUDGET) "$$verdict"; \
	[ "$$verdict" = ok ]

# Benchmarks, not tests (BENCHMARKS.md): the ignored timing tests of the core, and in the
# browser the screenshots, first-chart and frame timings (target/screenshots/*.txt).
bench:
	cargo test --release -p ualign --test budgets -- --ignored --nocapture

bench-browser: dist
	cargo test -p ualign-web --test browser -- --ignored --nocapture --test-threads 1

# Fuzzing (scripts/fuzz.sh has the details): all targets, both engines; fails when cargo-fuzz
# is missing rather than running one engine. FUZZ_JOBS=1 runs the stable targets one at a time.
FUZZ_INPUTS ?= 1000000
fuzz:
	env -u FUZZ_TARGETS FUZZ_ENGINE=both bash scripts/fuzz.sh $(FUZZ_INPUTS)

# The stable fuzzer's smoke run alone: 20,000 inputs per target, a few seconds (cargo-test runs it too).
fuzz-smoke:
	cargo test -p ualign --test fuzz_props fuzz_smoke -- --nocapture

# Lighthouse on the built site served gzipped, mobile and desktop (BENCHMARKS.md).
lighthouse: dist
	bash scripts/lighthouse.sh

clean-dist:
	rm -rf dist
