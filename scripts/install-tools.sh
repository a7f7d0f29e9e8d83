#!/usr/bin/env bash
# Installs the pinned build tools (wasm target, Trunk, wasm-bindgen-cli, wasm-opt, Chromium),
# skipping each that is already present at the right version, so a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen version pinned in Cargo.toml / Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,"",$0); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

what=${1:-all}   # all | web | browser

need_web() { [ "$what" = all ] || [ "$what" = web ]; }
need_browser() { [ "$what" = all ] || [ "$what" = browser ]; }

# Trunk and wasm-bindgen-cli are build tools: their own speed hardly matters, their compile time
# is most of a fresh machine's first `make serve`. So `cargo install` builds them without LTO,
# with many codegen units and light optimisation (only these two installs; the app's own
# profiles are untouched).
fast_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=64 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=true CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install "$@"
}

if need_web; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
  if ! command -v trunk >/dev/null || ! trunk --version | grep -q " $TRUNK_VERSION"; then
    fast_install trunk --locked --version "$TRUNK_VERSION"
  fi
  if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q " $WASM_BINDGEN_VERSION"; then
    # Not --locked: its lock file pins a crate the registry here lacks.
    fast_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  # The npm tools (binaryen's wasm-opt, terser, Lighthouse) as package-lock.json pins them:
  # installed again only when the lock file changed since the last install.
  if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.installed-lock.json
  fi
fi

if need_browser; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    if command -v apt-get >/dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq chromium chromium-driver
    else
      echo "install-tools: need Debian chromium and chromium-driver (apt-get not found)" >&2
      exit 1
    fi
  fi
fi
