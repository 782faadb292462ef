// Browser tests of the built app (dist/) in headless Chromium. Run `trunk build` first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import {
  SCREENSHOTS,
  editorText,
  generatedManifest,
  launchChromium,
  replaceText,
  serveDist,
  waitEditable,
} from "./helpers.mjs";

// A learner's mistake: Deployment under the core group, and an untagged image.
const BROKEN = `apiVersion: v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: nginx
`;

let server;
let browser;
const requests = [];

function track(page) {
  page.on("request", (r) => requests.push(r.url()));
}

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  track(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  return { context, page, errors };
}

before(async () => {
  server = await serveDist();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("editor: load, squiggles, problems, reveal, reload keeps the text", async (t) => {
  const { context, page, errors } = await newPage();

  await t.test("the editor becomes editable", async () => {
    await page.goto(server.url);
    const ms = await waitEditable(page);
    console.log(`# time from navigation to editable editor: ${ms.toFixed(0)} ms`);
    // The starter manifest comes with problems to explore.
    await page.waitForSelector("button.problem");
    assert.equal(await page.locator("h1.brand").textContent(), "kubeplay");
  });

  await t.test("typing a broken manifest shows a squiggle and a problem on the kind line", async () => {
    await replaceText(page, BROKEN);
    assert.equal(await editorText(page), BROKEN);
    const entry = page.locator('button.problem[data-code="unknown-kind"]');
    await entry.waitFor();
    assert.equal(await entry.getAttribute("data-line"), "2");
    assert.match(await entry.textContent(), /^\s*Error\s*2:\d+/);
    await page.locator('button.problem[data-code="image-latest-tag"][data-line="17"]').waitFor();

    const squiggle = page.locator(".cm-lintRange-error").first();
    await squiggle.waitFor();
    const line = await squiggle.evaluate((el) => {
      const row = el.closest(".cm-line");
      return { index: [...row.parentElement.children].indexOf(row) + 1, text: row.textContent };
    });
    assert.deepEqual(line, { index: 2, text: "kind: Deployment" });
    // Gutter marker and counts agree.
    assert.ok((await page.locator(".cm-lint-marker-error").count()) >= 1);
    assert.match(await page.locator(".count-error").textContent(), /^1 error$/);
    assert.match(await page.locator("#problems-live").textContent(), /1 error/);
  });

  await t.test("retyping a flagged value keeps its squiggle", async () => {
    // Replacing "nginx" with "nginx" collapses the old squiggle inside the editor; the new
    // analysis has the same positions as before and must still be applied.
    const at = BROKEN.indexOf("image: nginx") + "image: ".length;
    await page.evaluate((a) => {
      const view = globalThis.kubeplayEditor.view;
      view.dispatch({ selection: { anchor: a, head: a + 5 } });
      view.focus();
    }, at);
    await page.keyboard.type("nginx");
    assert.equal(await editorText(page), BROKEN);
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".cm-lintRange-warning")].some((el) => el.textContent === "nginx"),
    );
  });

  await t.test("hovering the squiggle explains the problem", async () => {
    await page.locator(".cm-lintRange-error").first().hover();
    const tip = page.locator(".cm-tooltip .kp-tip").first();
    await tip.waitFor();
    const text = await tip.textContent();
    assert.match(text, /unknown-kind/);
    assert.match(text, /Why:/);
    assert.match(text, /Fix:/);
  });

  await t.test("a quick fix from the tooltip edits the text", async () => {
    await page.locator(".cm-lintRange-error").first().hover();
    const action = page.locator(".cm-tooltip .cm-diagnosticAction", { hasText: "apps/v1" });
    await action.click();
    assert.equal(await editorText(page), BROKEN.replace("apiVersion: v1", "apiVersion: apps/v1"));
    await page.locator('button.problem[data-code="unknown-kind"]').waitFor({ state: "detached" });
    await page.keyboard.press("Control+z");
    assert.equal(await editorText(page), BROKEN);
    await page.locator('button.problem[data-code="unknown-kind"]').waitFor();
  });

  await t.test("clicking a problem selects its range in the editor", async () => {
    // Put the cursor elsewhere first so the assertion proves a move.
    await page.locator(".cm-line").nth(16).click();
    assert.match(await page.locator(".cm-activeLine").textContent(), /image: nginx/);
    await page.locator('button.problem[data-code="unknown-kind"]').click();
    assert.equal(await page.locator(".cm-activeLine").textContent(), "kind: Deployment");
    const sel = await page.evaluate(() => {
      const view = globalThis.kubeplayEditor.view;
      const { from, to } = view.state.selection.main;
      return {
        line: view.state.doc.lineAt(from).number,
        text: view.state.sliceDoc(from, to),
        focused: view.hasFocus,
      };
    });
    assert.equal(sel.line, 2);
    assert.ok(sel.text.length > 0 && "kind: Deployment".includes(sel.text), sel.text);
    assert.ok(sel.focused);
  });

  await t.test("reload restores the text exactly", async () => {
    const stored = await page.evaluate(() => localStorage.getItem("kubeplay.text"));
    assert.equal(stored, BROKEN);
    await page.reload();
    await waitEditable(page);
    assert.equal(await editorText(page), BROKEN);
    await page.locator('button.problem[data-code="unknown-kind"]').waitFor();
  });

  await t.test("the theme toggle switches and persists", async () => {
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.click("#theme-toggle");
    const after = await page.evaluate(() => document.documentElement.dataset.theme);
    assert.notEqual(before, after);
    await page.reload();
    await waitEditable(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), after);
  });

  assert.deepEqual(errors, []);
  await context.close();
});

test("Reset restores the starter after confirmation", async () => {
  const { context, page, errors } = await newPage();
  await page.goto(server.url);
  await waitEditable(page);
  const starter = await editorText(page);
  assert.match(starter, /kind: Deployment/);
  await replaceText(page, BROKEN);
  await page.locator('button.problem[data-code="unknown-kind"]').waitFor();

  page.once("dialog", (d) => d.dismiss());
  await page.click("#reset");
  assert.equal(await editorText(page), BROKEN);

  page.once("dialog", (d) => d.accept());
  await page.click("#reset");
  assert.equal(await editorText(page), starter);
  await page.locator('button.problem[data-code="unknown-kind"]').waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("pasted text is shown as text, never as HTML", async () => {
  const { context, page, errors } = await newPage();
  await page.goto(server.url);
  await waitEditable(page);
  const evil = BROKEN.replace("- name: api", '- name: "<img src=x onerror=window.__xss=1>"');
  await replaceText(page, evil);
  const entry = page
    .locator('button.problem[data-code="image-latest-tag"]')
    .filter({ hasText: "<img src=x onerror=window.__xss=1>" });
  await entry.waitFor();
  await page.locator(".cm-lintRange-warning").last().hover();
  await page.locator(".cm-tooltip .kp-tip").first().waitFor();
  assert.equal(await page.locator(".problems img, .cm-tooltip img, .cm-content img").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test("autosave problems are visible warnings, not crashes", async (t) => {
  await t.test("localStorage unavailable", async () => {
    const { context, page, errors } = await newPage();
    await page.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("denied", "SecurityError");
        },
      });
    });
    await page.goto(server.url);
    await waitEditable(page);
    await page.locator("#save-warning").waitFor();
    await replaceText(page, BROKEN);
    await page.locator('button.problem[data-code="unknown-kind"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  await t.test("text above the size cap", async () => {
    const { context, page, errors } = await newPage();
    await page.goto(server.url);
    await waitEditable(page);
    await replaceText(page, BROKEN);
    await page.locator('button.problem[data-code="unknown-kind"]').waitFor();
    assert.equal(await page.locator("#save-warning").count(), 0);
    const big = BROKEN + "# " + "x".repeat(1_000_000) + "\n";
    await page.evaluate((t) => globalThis.kubeplayEditor.setText(t), big);
    await page.locator("#save-warning").waitFor();
    assert.match(await page.locator("#save-warning").textContent(), /no longer autosaved/);
    // The last text that fit is still stored.
    assert.equal(await page.evaluate(() => localStorage.getItem("kubeplay.text")), BROKEN);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

test("a crash keeps the text and offers a reload", async () => {
  const { context, page } = await newPage();
  await page.goto(server.url);
  await waitEditable(page);
  await replaceText(page, BROKEN);
  // Crash before the debounced autosave runs: the panic hook saves the editor text itself.
  const edited = BROKEN + "# typed just before the crash\n";
  const threw = await page.evaluate((t) => {
    globalThis.kubeplayEditor.setText(t);
    try {
      window.wasmBindings.simulate_crash();
      return false;
    } catch {
      return true;
    }
  }, edited);
  assert.ok(threw);
  const crash = page.locator("#crash");
  await crash.waitFor();
  assert.match(await crash.textContent(), /Your text was saved/);
  assert.equal(await page.evaluate(() => localStorage.getItem("kubeplay.text")), edited);
  await Promise.all([page.waitForEvent("load"), crash.getByRole("button", { name: "Reload" }).click()]);
  await waitEditable(page);
  assert.equal(await editorText(page), edited);
  assert.equal(await page.locator("#crash").count(), 0);
  await context.close();
});

test("textarea fallback when the editor bundle cannot load", async () => {
  const { context, page, errors } = await newPage();
  await page.route("**/editor.js", (r) => r.abort());
  await page.goto(server.url);
  const area = page.locator("textarea.kp-fallback");
  await area.waitFor();
  await page.locator("#editor-fallback").waitFor();
  assert.equal(await page.locator(".cm-editor").count(), 0);

  await area.fill(BROKEN);
  const entry = page.locator('button.problem[data-code="unknown-kind"][data-line="2"]');
  await entry.waitFor();
  await entry.click();
  const sel = await area.evaluate((el) => ({
    focused: document.activeElement === el,
    line: el.value.slice(0, el.selectionStart).split("\n").length,
    text: el.value.slice(el.selectionStart, el.selectionEnd),
  }));
  assert.equal(sel.line, 2);
  assert.ok(sel.focused);
  assert.ok(sel.text.length > 0 && "kind: Deployment".includes(sel.text), sel.text);
  assert.deepEqual(errors, []);
  await context.close();
});

test("analyze on a 1,000-line manifest in wasm", async () => {
  const { context, page } = await newPage();
  await page.goto(server.url);
  await waitEditable(page);
  const text = generatedManifest(30);
  const lines = text.split("\n").length - 1;
  const ms = await page.evaluate((t) => {
    window.wasmBindings.bench_analyze(t, 5); // warm up
    return window.wasmBindings.bench_analyze(t, 100);
  }, text);
  console.log(`# wasm analyze, ${lines} lines: ${ms.toFixed(3)} ms per call`);
  assert.ok(Number.isFinite(ms) && ms > 0);
  await context.close();
});

test("screenshots at 1280x800 in light and dark", async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const colorScheme of ["light", "dark"]) {
    const { context, page } = await newPage({ colorScheme });
    await page.goto(server.url);
    await waitEditable(page);
    // With no explicit choice the app follows the OS.
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), colorScheme);
    await page.locator("button.problem").first().waitFor();
    // The untagged image: one diagnostic, so the tooltip shows a single explanation.
    await page.locator(".cm-lintRange-warning").last().hover();
    await page.locator(".cm-tooltip .kp-tip").first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, `app-${colorScheme}.png`) });
    await context.close();
  }
  const { context, page } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(server.url);
  await waitEditable(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "app-phone.png"), fullPage: true });
  await context.close();
});

test("no request leaves 127.0.0.1, and only static files are fetched", async () => {
  assert.ok(requests.length > 0);
  const dist = new Set(await listDist());
  for (const url of requests) {
    const u = new URL(url);
    assert.equal(u.hostname, "127.0.0.1", url);
    const p = u.pathname === "/" ? "/index.html" : decodeURIComponent(u.pathname);
    assert.ok(dist.has(p), `not a static file of dist/: ${url}`);
  }
});

async function listDist(dir = "", out = []) {
  const { DIST } = await import("./helpers.mjs");
  for (const e of await readdir(path.join(DIST, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) await listDist(rel, out);
    else out.push("/" + rel);
  }
  return out;
}
