#!/usr/bin/env bash
# Lighthouse (npm lighthouse, pinned in package.json) on the built site served gzipped, with
# Debian's Chromium, on the mobile and the desktop profile. Prints the scores and the metrics
# and keeps the reports in target/lighthouse/. A benchmark, not a test: `make lighthouse`.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8090}
out=target/lighthouse
mkdir -p "$out"
node scripts/serve-gzip.mjs "$port" "${DIST:-dist}" >/dev/null &
server=$!
trap 'kill $server' EXIT
sleep 0.5
for profile in mobile desktop; do
  preset=()
  [ "$profile" = desktop ] && preset=(--preset=desktop)
  CHROME_PATH=/usr/bin/chromium node_modules/.bin/lighthouse "http://127.0.0.1:$port/" "${preset[@]}" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --disable-quic --no-first-run" \
    --only-categories=performance,accessibility,best-practices \
    --output=json --output-path="$out/$profile.json" --quiet
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
    const c = r.categories, a = r.audits;
    const s = (k) => Math.round(c[k].score * 100);
    console.log(`${process.argv[2]}: performance ${s("performance")}, accessibility ${s("accessibility")}, best practices ${s("best-practices")}; ` +
      `FCP ${a["first-contentful-paint"].displayValue}, LCP ${a["largest-contentful-paint"].displayValue}, ` +
      `TBT ${a["total-blocking-time"].displayValue}, CLS ${a["cumulative-layout-shift"].displayValue}, SI ${a["speed-index"].displayValue}`);
  ' "$out/$profile.json" "$profile"
done
