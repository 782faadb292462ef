// kubeplay's service worker: after the first visit the playground works with no network.
// scripts/sw.mjs (a trunk post_build hook) copies this file into the build and fills in MANIFEST
// with every file the build produced and a version derived from their contents; a new build is
// a new version, installed beside the old one and switched to when no page uses the old one.
//
// What it does, request by request (same-origin GETs only; nothing else is touched):
// - the page itself (navigations, including share links: the #fragment never reaches here):
//   the network first, so a new version is picked up; offline, the cached page.
// - everything else (the wasm, JS and CSS of both stages, the editor bundle): the cache of this
//   version first. Most names change with their contents, so installing may take them from the
//   browser's HTTP cache (the page has just loaded them); the editor bundle, the JS snippets and
//   the second stage's files (kubeplay-play.js, kubeplay-play_bg.wasm) keep their names, so
//   installing fetches those past the HTTP cache: a cached copy always belongs to its version.
// It never sends anything anywhere: it only answers the page's own requests for its own files.
const MANIFEST = /*MANIFEST*/ { version: "dev", files: [] };
const CACHE = `kubeplay-${MANIFEST.version}`;
// Trunk's content-hashed names: `name-0123456789abcdef.js`, `…_bg.wasm`, `….css`.
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(MANIFEST.files.map((f) => new Request(f, { cache: HASHED.test(f) ? "default" : "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("kubeplay-") && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches.match("./", { cacheName: CACHE }).then((page) => page ?? Response.error()),
      ),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)),
  );
});
