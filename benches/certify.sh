#!/usr/bin/env bash
# One run per line, release build: `ualign certify` on a case file to a tolerance, with the
# wall time of the whole command, the search's and the check's seconds, cells split per
# second of search, and the wall time of `ualign verify` on the certificate written.
# Usage: benches/certify.sh CASE K L TOL [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
case=$1; k=$2; l=$3; tol=$4; threads=${5:-1}
cargo build --release --quiet -p ualign-cli
out=$(mktemp)
start=$(date +%s.%N)
./target/release/ualign certify "$case" --k "$k" --l "$l" --tol "$tol" --threads "$threads" -o "$out"
end=$(date +%s.%N)
vstart=$(date +%s.%N)
./target/release/ualign verify "$out" --threads "$threads" > /dev/null
vend=$(date +%s.%N)
python3 - "$out" "$start" "$end" "$vstart" "$vend" "$threads" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2]); verify = float(sys.argv[5]) - float(sys.argv[4])
cells = c["cells"]["examined"]
print(f"threads={sys.argv[6]} tol={c['tol']} enclosure=[{c['lower']:.7f}, {c['upper']:.7f}] width={c['width']:.3e} "
      f"stop={c['stop']} cells={cells} leaves={c['cells']['leaves']} wall={wall:.3f}s search={c['seconds']:.3f}s "
      f"check={c['check_seconds']:.3f}s cells_per_second={cells / c['seconds']:.0f} verify_wall={verify:.3f}s "
      f"certificate_bytes={len(open(sys.argv[1]).read())}")
PY
rm -f "$out"
