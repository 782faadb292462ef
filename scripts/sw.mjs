#!/usr/bin/env node
// Trunk post_build step (scripts/post_build.mjs runs it after csp.mjs): writes the offline
// service worker into the build. It copies web/sw.js and fills in its MANIFEST with every file
// of the build (the page as "./") and a version hashed from their contents, so each build gets
// its own cache and an unchanged build keeps the one it has.
//
//   node scripts/sw.mjs [DIR]   (default: $TRUNK_STAGING_DIR, else dist)
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? path.join(root, "dist");

function walk(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)],
  );
}

const files = walk(dir)
  .map((f) => path.relative(dir, f).split(path.sep).join("/"))
  .filter((f) => f !== "sw.js")
  .sort();
const hash = createHash("sha256");
for (const f of files) hash.update(f).update("\0").update(readFileSync(path.join(dir, f))).update("\0");
const version = hash.digest("hex").slice(0, 16);
const urls = files.map((f) => (f === "index.html" ? "./" : f));

const template = readFileSync(path.join(root, "web/sw.js"), "utf8");
const marker = /\/\*MANIFEST\*\/ \{[^}]*\}/;
if (!marker.test(template)) {
  console.error("sw: web/sw.js has no /*MANIFEST*/ placeholder");
  process.exit(1);
}
const manifest = JSON.stringify({ version, files: urls });
writeFileSync(path.join(dir, "sw.js"), template.replace(marker, () => manifest));
console.log(`sw: ${urls.length} files precached, version ${version}`);
