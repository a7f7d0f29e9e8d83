// A static server for dist/ that compresses as a real host would (gzip, for Lighthouse and
// load-time measurements; `trunk serve` and Python's http.server send nothing compressed).
//   node scripts/serve-gzip.mjs [PORT] [DIR]
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

const port = Number(process.argv[2] ?? 8090);
const root = process.argv[3] ?? "dist";
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};
const cache = new Map();

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const rel = normalize(path === "/" ? "/index.html" : path).replace(/^(\.\.[/\\])+/, "");
  try {
    const file = join(root, rel);
    let body = cache.get(file);
    if (!body) {
      body = gzipSync(await readFile(file), { level: 9 });
      cache.set(file, body);
    }
    res.writeHead(200, {
      "Content-Type": types[extname(file)] ?? "application/octet-stream",
      "Content-Encoding": "gzip",
      // Hashed names can be cached for good; the page itself is revalidated.
      "Cache-Control": rel.endsWith("index.html") ? "no-cache" : "max-age=31536000, immutable",
    });
    res.end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found");
  }
}).listen(port, "127.0.0.1", () => console.log(`serving ${root} gzipped on http://127.0.0.1:${port}/`));
