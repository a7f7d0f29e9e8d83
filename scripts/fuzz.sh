#!/usr/bin/env bash
# The long fuzz run of the URL decoder, the file readers and the worker's message decoder: N
# inputs per target (default 1,000,000), checking that nothing panics, no input takes 1 s,
# whatever is accepted is valid, and every accepted link, file or message survives a round trip
# (core/fuzz/src/lib.rs has the invariants).
#
#   scripts/fuzz.sh [N]                   both engines below (fails if cargo-fuzz is not installed)
#   FUZZ_ENGINE=stable scripts/fuzz.sh    the stable-Rust mutation fuzzer only
#   FUZZ_ENGINE=libfuzzer scripts/fuzz.sh the coverage-guided cargo-fuzz run only
#   FUZZ_TARGETS="url_decode read_any"    a subset of the targets
#   FUZZ_SEED=7                           another mutation sequence for the stable fuzzer
#   FUZZ_JOBS=2                           targets run side by side by the stable fuzzer
#
# Stable engine: the ignored tests `fuzz_*` in core/tests/fuzz_props.rs, seeded mutations (bit flips,
# byte inserts and deletes, duplications, splices, format tokens, edge numbers, and for links the
# JSON inside `data`) of the seed corpora in core/fuzz/corpus/<target>/, built with overflow checks.
# Prints per target: inputs, accepted, rejected, max time per input, wall time. A failing input
# is saved in core/fuzz/artifacts/<target>/.
#
# libFuzzer engine: cargo-fuzz (`cargo install cargo-fuzz`) wants a nightly toolchain; on stable,
# RUSTC_BOOTSTRAP=1 (set here) lets it build the sanitizer and coverage instrumentation. New
# corpus entries go to a temporary directory, so core/fuzz/corpus/ stays small; crashes land in
# fuzz/artifacts/<target>/. Builds in core/fuzz/target, or in $CARGO_TARGET_DIR/fuzz when that is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

N=${1:-1000000}
TARGETS=(${FUZZ_TARGETS:-url_decode read_preflib read_matrix_csv read_comparisons_csv read_any worker_messages read_deck read_host_message})
ENGINE=${FUZZ_ENGINE:-both}
case $ENGINE in
  stable | libfuzzer | both) ;;
  *)
    echo "fuzz.sh: FUZZ_ENGINE=$ENGINE is not one of stable, libfuzzer, both" >&2
    exit 2
    ;;
esac
# Asked for libFuzzer and it cannot run: fail, so a run never reports one engine as two.
if [[ $ENGINE != stable ]] && ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: FUZZ_ENGINE=$ENGINE needs cargo-fuzz, which is not installed" \
    "(cargo install cargo-fuzz --version 0.13.2; or FUZZ_ENGINE=stable for the stable fuzzer only)" >&2
  exit 1
fi
# The commit the counts are of, and whether the work tree differs from it.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain 2>/dev/null) ]]; then commit="$commit (dirty tree)"; fi
echo "== fuzzing commit $commit, engine $ENGINE, $N inputs per target"
summary=()
print_summary() { for line in "${summary[@]}"; do echo "$line [commit $commit]"; done; }

if [[ $ENGINE == stable || $ENGINE == both ]]; then
  log=$(mktemp)
  filters=()
  for t in "${TARGETS[@]}"; do filters+=("fuzz_$t"); done
  echo "== stable fuzzer: $N inputs per target: ${TARGETS[*]}"
  start=$(date +%s)
  FUZZ_INPUTS=$N cargo test -p ualign --test fuzz_props -- --ignored --exact --nocapture \
    --test-threads="${FUZZ_JOBS:-2}" "${filters[@]}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  while IFS= read -r line; do summary+=("stable $line"); done \
    < <(grep -o 'fuzz [a-z_]*: [0-9]* inputs.*' "$log")
  summary+=("stable fuzzer: $(($(date +%s) - start)) s in all")
  rm -f "$log"
  if [[ $status != 0 ]]; then
    print_summary
    echo "FAILED: the stable fuzzer found a problem (see above; the input is in core/fuzz/artifacts/)"
    exit 1
  fi
fi

if [[ $ENGINE == libfuzzer || $ENGINE == both ]]; then
  target_dir=()
  [[ -n ${CARGO_TARGET_DIR:-} ]] && target_dir=(--target-dir "$CARGO_TARGET_DIR/fuzz")
  for t in "${TARGETS[@]}"; do
    # Links up to past the 32 KiB limit (so the size check is reached); files of a few KiB.
    max_len=8192
    [[ $t == url_decode ]] && max_len=40000
    work=$(mktemp -d)
    log=$(mktemp)
    echo "== libFuzzer $t: $N runs"
    start=$(date +%s)
    status=0
    RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir core/fuzz "${target_dir[@]}" -O -a "$t" \
      "$work" "core/fuzz/corpus/$t" -- -runs="$N" -timeout=1 -max_len="$max_len" \
      -print_final_stats=1 >"$log" 2>&1 || status=$?
    wall=$(($(date +%s) - start))
    # libFuzzer separates its fields with tabs and runs of spaces.
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done|stat::(number_of_executed_units|slowest_unit_time_sec|peak_rss_mb)' "$log" || true
    lf_stat() { grep -oE "stat::$1:[[:space:]]*[0-9]+" "$log" | grep -oE '[0-9]+$' || echo '?'; }
    runs=$(lf_stat number_of_executed_units)
    slowest=$(lf_stat slowest_unit_time_sec)
    cov=$(grep -oE '^#[0-9]+[[:space:]]+DONE[[:space:]]+cov: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    summary+=("libfuzzer $t: $runs inputs, coverage $cov, slowest ${slowest} s (whole seconds), $wall s wall, exit $status")
    rm -rf "$work"
    if [[ $status != 0 ]]; then
      tail -40 "$log"
      print_summary
      echo "FAILED: libFuzzer found a problem in $t (the input is in core/fuzz/artifacts/$t/)"
      exit 1
    fi
    rm -f "$log"
  done
fi

echo "== summary ($N inputs per target, commit $commit, $(date -u +%Y-%m-%d))"
print_summary
