// Part of the Trunk post_build hook (scripts/post-build.mjs): two things Trunk 0.21 writes that
// make Chromium log a warning on every load, so the browser tests can demand a clean console.
// - The worker's loader shim calls the wasm-bindgen glue with a bare path, which wasm-bindgen
//   0.2.9x+ deprecates; the object form it asks for is the same call.
// - The app wasm's `<link rel=preload as=fetch>` carries an `integrity` attribute, which
//   Chromium ignores for fetch preloads and says so (crbug.com/981419). The wasm itself is
//   fetched by the glue, whose own integrity is kept and checked.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR ?? "dist";

const loader = join(dir, "worker_loader.js");
const shim = readFileSync(loader, "utf8");
const fixed = shim.replace(/wasm_bindgen\((["'][^"']+["'])\)/, "wasm_bindgen({module_or_path:$1})");
if (!fixed.includes("module_or_path")) {
  console.error(`quiet-console: no wasm_bindgen("...") call in ${loader}: ${shim}`);
  process.exit(1);
}
writeFileSync(loader, fixed);

const index = join(dir, "index.html");
const html = readFileSync(index, "utf8");
const quiet = html.replace(/<link\b[^>]*_bg\.wasm[^>]*>/g, (tag) =>
  tag.replace(/\s+integrity=(["']?)sha(256|384|512)-[A-Za-z0-9+/=]+\1/, ""),
);
writeFileSync(index, quiet);
console.log(`quiet-console: ${fixed}; wasm preload integrity ${quiet === html ? "absent" : "removed"}`);
