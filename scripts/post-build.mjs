// Trunk post_build hook (Trunk.toml): the steps that rewrite dist/, one after the other (two
// hooks could run side by side and overwrite each other's edits).
await import("./minify-glue.mjs");
await import("./quiet-console.mjs");
await import("./csp-hash.mjs");
