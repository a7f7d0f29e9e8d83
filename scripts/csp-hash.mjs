// Part of the Trunk post_build hook (scripts/post-build.mjs): Trunk injects one inline module
// script that loads the app, and the page's Content-Security-Policy (index.html) allows scripts
// only from the site itself. This puts that inline script's SHA-256 in place of the policy's placeholder, so the
// loader runs and any other inline script (or injected markup's handler) does not.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PLACEHOLDER = "'sha256-TRUNK-LOADER'";
const file = join(process.env.TRUNK_STAGING_DIR ?? "dist", "index.html");
let html = readFileSync(file, "utf8");
const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
  (m) => !/\bsrc\s*=/.test(m[1]),
);
if (inline.length !== 1) {
  console.error(`csp-hash: expected one inline script in ${file}, found ${inline.length}`);
  process.exit(1);
}
if (!html.includes(PLACEHOLDER)) {
  console.error(`csp-hash: no ${PLACEHOLDER} in the Content-Security-Policy of ${file}`);
  process.exit(1);
}
const hash = createHash("sha256").update(inline[0][2], "utf8").digest("base64");
html = html.replace(PLACEHOLDER, `'sha256-${hash}'`);
writeFileSync(file, html);
console.log(`csp-hash: inline loader script allowed by 'sha256-${hash}'`);
