// Part of the Trunk post_build hook (scripts/post-build.mjs): minifies the app's wasm-bindgen JS glue, which Trunk's
// own minifier cannot parse (it stops at `export { ... as default }`), then puts the new
// file's SHA-384 in index.html's integrity attribute for it. The worker's glue is already
// minified by Trunk. Runs before scripts/csp-hash.mjs, which hashes the inline loader only.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dir = process.env.TRUNK_STAGING_DIR ?? "dist";
if (process.env.TRUNK_PROFILE === "release") {
  await minifyGlue();
} else {
  console.log("minify-glue: not a release build; left as it is");
}

async function minifyGlue() {
const glue = readdirSync(dir).filter((f) => /^app-[0-9a-f]+\.js$/.test(f));
if (glue.length !== 1) {
  console.error(`minify-glue: expected one app-<hash>.js in ${dir}, found ${glue.length}`);
  process.exit(1);
}
const file = join(dir, glue[0]);
const source = readFileSync(file, "utf8");
const result = await minify(source, { module: true, ecma: 2020, compress: true, mangle: true });
writeFileSync(file, result.code);
const integrity = "sha384-" + createHash("sha384").update(result.code, "utf8").digest("base64");
const index = join(dir, "index.html");
const html = readFileSync(index, "utf8");
const escaped = glue[0].replace(/[.]/g, "\\.");
const pattern = new RegExp(`(href=["']?\\./${escaped}["']?[^>]*?integrity=["']?)sha384-[A-Za-z0-9+/=]+`);
const swapped = html.match(pattern)
  ? html.replace(pattern, `$1${integrity}`)
  : html.replace(new RegExp(`(integrity=["']?)sha384-[A-Za-z0-9+/=]+(["']?[^>]*?href=["']?\\./${escaped})`), `$1${integrity}$2`);
if (swapped === html) {
  console.error(`minify-glue: no integrity attribute for ${glue[0]} in ${index}`);
  process.exit(1);
}
writeFileSync(index, swapped);
console.log(`minify-glue: ${glue[0]} ${source.length} -> ${result.code.length} bytes`);
}
