// Shared by the browser tests: a tiny static server for dist/ and headless Chromium.
import http from "node:http";
import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// KUBEPLAY_DIST serves another build (e.g. `trunk build --dist /tmp/dist-a`), so two builds
// can be tested side by side.
export const DIST = process.env.KUBEPLAY_DIST ?? path.join(ROOT, "dist");
export const SCREENSHOTS = path.join(ROOT, "web/tests/screenshots");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** Serves dist/ (or `root`) on 127.0.0.1 at a random port. Resolves to { url, close, served }. */
export async function serveDist(root = DIST) {
  const served = new Set();
  const server = http.createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, "http://127.0.0.1");
      const rel = decodeURIComponent(pathname === "/" ? "/index.html" : pathname);
      const file = path.join(root, path.normalize(rel));
      if (!file.startsWith(root + path.sep)) throw new Error("outside the served directory");
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const body = await readFile(file);
      served.add(rel);
      res.writeHead(200, {
        "content-type": MIME[path.extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** Debian's chromium, headless, with a fresh temporary profile (playwright makes one). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Saves a screenshot of the page as web/tests/screenshots/NAME.png. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Waits until the whole page has loaded (both stages, crates/web/src/stage.rs) and the
 * CodeMirror editor accepts input; returns ms since navigation start.
 */
export async function waitEditable(page) {
  await page.waitForSelector('html[data-stage="full"]', { timeout: 20000 });
  await page.waitForSelector('.cm-content[contenteditable="true"]', { timeout: 15000 });
  return page.evaluate(() => performance.now());
}

/** Waits until the first stage's editor accepts input; returns ms since navigation start. */
export async function waitFirstStage(page) {
  await page.waitForSelector('.cm-content[contenteditable="true"]', { timeout: 15000 });
  return page.evaluate(() => performance.now());
}

/** The editor's text, through the hook the shim sets (CodeMirror or textarea). */
export function editorText(page) {
  return page.evaluate(() => globalThis.kubeplayEditor.getText());
}

/** Replaces the whole editor text as a learner would: select all, then type/paste. */
export async function replaceText(page, text) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

/** A Deployment + Service pair, 33 lines, numbered. */
export function generatedManifest(pairs) {
  const docs = [];
  for (let i = 0; i < pairs; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels:
    app: app-${i}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${i}:1.${i}.0
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector:
    app: app-${i}
  ports:
    - port: 80
      targetPort: 8080`);
  }
  return docs.join("\n---\n") + "\n";
}

/**
 * A share link fragment built the way the app builds it (crates/share: zlib + URL-safe
 * base64), or by hand as an older or newer page might write one. Times in seconds.
 */
export function shareHash(text, { t = 0, panel = "cluster", lesson, steps = [] } = {}) {
  const lines = ["kubeplay-share 1", `t ${Math.round(t * 1000)}`, `panel ${panel}`];
  if (lesson) lines.push(`lesson ${lesson}`);
  for (const [at, command] of steps) lines.push(`step ${Math.round(at * 1000)} ${command}`);
  const payload = `${lines.join("\n")}\nmanifest\n${text}`;
  return `#v1:${zlib.deflateSync(Buffer.from(payload, "utf8")).toString("base64url")}`;
}

/** Moves the mouse over the middle of the first occurrence of `needle` in the editor. */
export async function hoverField(page, needle) {
  const point = await page.evaluate((n) => {
    const view = globalThis.kubeplayEditor.view;
    const pos = view.state.doc.toString().indexOf(n) + Math.floor(n.length / 2);
    const c = view.coordsAtPos(pos);
    return { x: (c.left + c.right) / 2, y: (c.top + c.bottom) / 2 };
  }, needle);
  await page.mouse.move(0, 0);
  await page.mouse.move(point.x, point.y);
}

/**
 * Serves dist/ and starts Chromium before a test file's tests, stops both after them, and
 * hands both to `set` (a file keeps them in its own `server` and `browser`).
 */
export function withServerAndBrowser(set) {
  let server;
  let browser;
  before(async () => {
    server = await serveDist();
    browser = await launchChromium();
    set(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** Runs `line` in the kubectl bar and returns what it printed. */
export async function kubectl(page, line) {
  const before = await page.getByTestId("console-entry").count();
  await page.getByTestId("kubectl-input").fill(line);
  await page.getByTestId("kubectl-input").press("Enter");
  await page.getByTestId("console-entry").nth(before).waitFor();
  return page.getByTestId("console-entry").nth(before).locator("pre").textContent();
}
