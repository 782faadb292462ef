#!/usr/bin/env node
// Trunk post_build step (run by scripts/post_build.mjs, the hook in Trunk.toml): writes the page's Content-Security-Policy into the built
// index.html as <meta http-equiv="Content-Security-Policy">, right after <meta charset>, so it
// governs everything that follows. Trunk 0.21 has no option to load the wasm without an inline
// <script type="module"> (its `create_nonce` only works with `trunk serve`), so this hook
// hashes every inline script the build produced and allows exactly those hashes.
//
//   node scripts/csp.mjs [index.html]   (default: $TRUNK_STAGING_DIR/index.html)
//
// The policy, directive by directive:
//   default-src 'self'          anything not named below: only the page's own files.
//   script-src 'self' 'wasm-unsafe-eval' 'sha256-…'
//                               our JS files, compiling our wasm, and the loader trunk
//                               inlines (by hash, so any other inline script is refused).
//   style-src 'self'            stylesheets from our files; split below for CSP 3 browsers:
//   style-src-elem 'self' 'nonce-…'
//                               CodeMirror's style-mod injects one <style> element into
//                               <head> (it only uses constructable sheets inside shadow roots)
//                               and passes EditorView.cspNonce to it, so a nonce works
//                               instead of 'unsafe-inline'. Static hosting cannot mint a nonce
//                               per response, so this nonce is derived from the build and is
//                               public: it keeps generic injected <style> markup out, it is not
//                               a secret. The editor reads it from this meta element.
//   style-src-attr 'unsafe-inline'
//                               style="" attributes: Yew renders dynamic widths and grids as
//                               style attributes and CodeMirror sets `tab-size` on its content
//                               element. An attribute can only restyle its own element and,
//                               with img-src/font-src/connect-src limited to 'self', cannot
//                               send anything anywhere.
//   connect-src 'self'          fetch/XHR/WebSocket only to our origin (the wasm is fetched);
//                               pasted text has nowhere else to go.
//   img-src 'self' data:        our images and data: URLs (the empty favicon `data:,`).
//   object-src 'none'           no plugins.
//   base-uri 'none'             no <base> to redirect relative URLs.
//   form-action 'none'          no form submits anywhere.
//   require-trusted-types-for 'script'; trusted-types kubeplay-sw
//                               Trusted Types: handing a string to any DOM API that parses
//                               HTML (the inner/outer HTML setters, adjacent-HTML insertion,
//                               document writes, iframe source documents) or sets a script's
//                               text or URL throws instead of parsing it. The one policy that
//                               may exist is "kubeplay-sw" (no duplicates), created first thing
//                               by web/sw-register.js; it vouches for exactly one URL, the
//                               offline service worker ./sw.js, and refuses anything else. Learner text reaches the DOM only as text
//                               (Yew text nodes, textContent); this turns any future slip into
//                               an error rather than markup. Browsers without Trusted Types
//                               ignore these two directives.
// Not settable from a <meta> element (browsers ignore them there): frame-ancestors, report-uri,
// report-to and sandbox; a host that wants them must send a Content-Security-Policy header.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const file = process.argv[2] ?? path.join(process.env.TRUNK_STAGING_DIR ?? "dist", "index.html");
let html = readFileSync(file, "utf8");

// Already processed (the hook ran twice on the same file): leave it as it is.
const done = /http-equiv=["']?Content-Security-Policy/i.test(html);
// Inline event handlers (onclick="…") cannot be allowed by hash; refuse them at build time.
const handler = html.match(/<[^>]*\s(on[a-z]+)\s*=/i);
if (handler) {
  console.error(`csp: inline event handler ${handler[1]} in ${file}; use addEventListener`);
  process.exit(1);
}

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("base64");
const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\ssrc\s*=/i.test(m[1])) continue;
  hashes.push(`'sha256-${sha256(m[2])}'`);
}
// Deterministic per build (same inputs, same page), unguessable before the build exists.
const nonce = sha256("kubeplay style nonce\0" + html).replace(/[^A-Za-z0-9]/g, "").slice(0, 22);

const policy = [
  "default-src 'self'",
  ["script-src 'self' 'wasm-unsafe-eval'", ...hashes].join(" "),
  "style-src 'self'",
  `style-src-elem 'self' 'nonce-${nonce}'`,
  "style-src-attr 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types kubeplay-sw",
].join("; ");

const meta = `\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`;
const charset = html.match(/<meta charset[^>]*>/i);
if (!charset) {
  console.error(`csp: no <meta charset> in ${file} to put the policy after`);
  process.exit(1);
}
if (!done) {
  html = html.replace(charset[0], charset[0] + meta);
  writeFileSync(file, html);
  console.log(`csp: ${hashes.length} inline script hash(es), style nonce, written to ${file}`);
}
