# Build, serve and test ualign and its web app. Everything runs offline once the tools are in:
# `make serve` and `make test` install what is missing via scripts/install-tools.sh.
#
#   make dist    release site in dist/ (app-<hash>_bg.wasm, worker_bg.wasm)
#   make serve   build the release site and serve it on http://127.0.0.1:$(PORT)/
#   make test    fmt, clippy (native and wasm32), the release site, every cargo test incl. browser
#   make sizes   gzipped sizes of the two wasm files

SHELL := /bin/bash
PORT ?= 8080

# binaryen's wasm-opt from npm comes first on PATH: Debian's binaryen is too old for rustc 1.95.
# Trunk never downloads (Trunk.toml offline = true) and skips its update check.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true

.PHONY: all tools web-tools fetch dist serve test fmt clippy clippy-wasm cargo-test sizes clean-dist

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
	cargo clippy --all-targets -- -D warnings

clippy-wasm:
	cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings

# Runs after dist: tests/browser.rs serves dist/ and drives headless Chromium.
cargo-test:
	cargo test

test: tools fetch fmt clippy clippy-wasm dist cargo-test

sizes:
	@for f in dist/app-*_bg.wasm dist/worker_bg.wasm; do \
	  printf '%-40s %8d bytes, gzip -9: %8d bytes\n' "$$f" "$$(stat -c %s "$$f")" "$$(gzip -9c "$$f" | wc -c)"; \
	done

clean-dist:
	rm -rf dist
