#!/usr/bin/env node
// Trunk's post_build hook (Trunk.toml): the Content-Security-Policy first (it changes
// index.html), then the service worker, whose version hashes the final files.
await import("./csp.mjs");
await import("./sw.mjs");
