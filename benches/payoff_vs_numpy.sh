#!/usr/bin/env bash
# One run, same machine: ualign's payoff evaluation against the vectorized numpy reference on
# the identical seeded impartial-culture population (default 10 responses, 5,000 voters, k = 4).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}; voters=${2:-5000}; seed=${3:-1}; k=${4:-4}
cargo build --release --quiet -p ualign-cli
rust=$(./target/release/ualign bench --impartial-culture "$n" "$voters" "$seed" --k "$k")
py=$(python3 benches/numpy_payoff.py "$n" "$voters" "$seed" "$k")
echo "$rust"
echo "$py" | grep -v '^u_uniform'
r_u=$(echo "$rust" | sed -n 's/^u_uniform=//p'); p_u=$(echo "$py" | sed -n 's/^u_uniform=//p')
python3 - "$r_u" "$p_u" <<'PY'
import sys
a = [float(x) for x in sys.argv[1].split(",")]; b = [float(x) for x in sys.argv[2].split(",")]
print(f"max |u_rust - u_numpy| = {max(abs(x - y) for x, y in zip(a, b)):.1e}")
PY
rs=$(echo "$rust" | sed -n 's/^payoff_eval_seconds=//p')
ps=$(echo "$py" | sed -n 's/.*numpy_payoff_eval_seconds=//p')
python3 -c "print(f'speedup over numpy: {float($ps)/float($rs):.1f}x')"
