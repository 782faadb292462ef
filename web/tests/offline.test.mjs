// The offline promise: after one visit, kubeplay loads and works with the server gone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { DIST, SCREENSHOTS, launchChromium, replaceText, serveDist, waitEditable } from "./helpers.mjs";

// A learner's first Deployment with a typo in the container's field name.
const TYPO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolice: Always
`;

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

async function builtFiles(dir = DIST) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .filter((f) => f !== "sw.js");
}

test("after the first visit the playground loads and works with the server gone", async (t) => {
  const server = await serveDist();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => Promise.all([server.close(), context.close()]));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    // With the server gone, the browser logs the refused connections it tried; those are the
    // point of this test, not faults of the page.
    if (m.type() === "error" && !/ERR_CONNECTION_REFUSED|Failed to (load resource|fetch)/.test(m.text())) {
      errors.push(m.text());
    }
  });
  await page.goto(server.url);
  await waitEditable(page);

  // The worker installed and precached every file of the build (the page as "./").
  const cache = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const names = (await caches.keys()).filter((k) => k.startsWith("kubeplay-"));
    const cached = await (await caches.open(names[0])).keys();
    return {
      active: registration.active?.state,
      names,
      urls: cached.map((r) => new URL(r.url).pathname.slice(1)).sort(),
    };
  });
  assert.equal(cache.active, "activated");
  assert.equal(cache.names.length, 1, cache.names.join());
  const expected = (await builtFiles()).map((f) => (f === "index.html" ? "" : f)).sort();
  assert.deepEqual(cache.urls, expected);
  assert.ok(server.served.has("/sw.js"), [...server.served].join());

  await server.close();

  // Reload with nothing listening: the page, the wasm and the editor come from the cache.
  await page.reload();
  await waitEditable(page);
  await replaceText(page, TYPO);
  const problem = page.locator('button.problem[data-code="unknown-field"][data-line="18"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /imagePullPolicy/);
  await page.locator(".playground[data-simulated]").waitFor({ timeout: 10000 });
  // A new tab offline too (as after closing the browser), with the autosaved text.
  const second = await context.newPage();
  await second.goto(server.url);
  await waitEditable(second);
  assert.match(await second.locator(".cm-content").textContent(), /imagePullPolice/);
  // Fix the typo: the simulator, also from the cache, schedules both replicas.
  await replaceText(page, TYPO.replace("imagePullPolice", "imagePullPolicy"));
  await page.getByTestId("scrub").fill("60");
  await page.locator('[data-testid="pod"][data-ready="true"]').nth(1).waitFor();
  assert.equal(await page.locator('[data-testid="pod"]').count(), 2);
  await page.screenshot({ path: path.join(SCREENSHOTS, "offline.png") });
  assert.deepEqual(errors, []);
});
