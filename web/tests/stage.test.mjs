// The two-stage start (crates/web/src/stage.rs): the editor and its checks work before the
// playground arrives; the playground takes the same editor over (text, undo history, focus);
// a playground that cannot load leaves a working, autosaving editor.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hoverField, screenshot, shareHash, waitFirstStage, withServerAndBrowser } from "./helpers.mjs";

// A learner's Deployment: 4 replicas of an untagged image (a warning the checks explain).
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 4
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: shop
          image: nginx
`;

let server;
let browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** A page whose second stage is held back until `release()` (or refused with `fail`). */
async function openHeld({ fail = false } = {}) {
  // Routes do not see what a service worker answers; these pages run without it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  let release;
  const released = new Promise((r) => (release = r));
  await page.route("**/kubeplay-play_bg.wasm", async (route) => {
    if (fail) return route.abort();
    await released;
    return route.continue();
  });
  await page.goto(server.url);
  await waitFirstStage(page);
  return { context, page, errors, release };
}

test("first stage: edit and see problems before the playground arrives; the playground adopts the editor", async () => {
  const { context, page, errors, release } = await openHeld();
  assert.equal(await page.locator("html").getAttribute("data-stage"), null);
  await page.getByText("Loading the cluster simulator…").waitFor();
  assert.ok(await page.locator("#lessons-toggle").isDisabled(), "Lessons waits for the playground");
  assert.equal(await page.getByTestId("kubectl-input").count(), 0);

  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(MANIFEST);
  // Analysed in the first stage: the untagged image is explained at its line.
  await page.waitForFunction(() => document.querySelector(".problems")?.textContent.includes("image-latest-tag"));
  await page.waitForFunction(
    (m) => localStorage.getItem("kubeplay.text") === m,
    MANIFEST,
  );
  await screenshot(page, "stage-first");

  release();
  await page.waitForSelector('html[data-stage="full"]', { timeout: 20000 });
  await page.getByTestId("kubectl-input").waitFor();
  // The same editor: its text, and the focus the learner left in it.
  assert.equal(await page.evaluate(() => globalThis.kubeplayEditor.getText()), MANIFEST);
  assert.equal(await page.locator(".cm-editor").count(), 1);
  assert.ok(await page.evaluate(() => document.activeElement?.closest(".cm-editor") !== null), "focus stays in the editor");
  assert.equal(await page.locator("#lessons-toggle").isDisabled(), false);
  // The playground simulates what was typed in the first stage.
  await page.getByTestId("kubectl-input").fill("get deploy");
  await page.getByTestId("kubectl-input").press("Enter");
  const out = await page.getByTestId("console-entry").first().locator("pre").textContent();
  assert.match(out, /^shop\s+\d\/4\s/m);
  // Undo history came along: one undo takes back the paste made in the first stage.
  await page.click(".cm-content");
  await page.keyboard.press("Control+Z");
  const undone = await page.evaluate(() => globalThis.kubeplayEditor.getText());
  assert.notEqual(undone, MANIFEST);
  assert.match(undone, /Welcome to kubeplay/);
  await screenshot(page, "stage-full");
  assert.deepEqual(errors, []);
  await context.close();
});

test("first stage: a playground that cannot load leaves a working editor that saves", async () => {
  const { context, page, release } = await openHeld({ fail: true });
  release();
  const alert = page.getByRole("alert").filter({ hasText: "could not be loaded" });
  await alert.waitFor();
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(MANIFEST);
  await page.waitForFunction(() => document.querySelector(".problems")?.textContent.includes("image-latest-tag"));
  await page.waitForFunction((m) => localStorage.getItem("kubeplay.text") === m, MANIFEST);
  await screenshot(page, "stage-failed");
  await page.reload();
  await waitFirstStage(page);
  assert.equal(await page.evaluate(() => globalThis.kubeplayEditor.getText()), MANIFEST);
  await context.close();
});

test("first stage: a shared view stays unsaved until the playground opens it", async () => {
  // A share link made by the app itself.
  const maker = await browser.newContext();
  const mpage = await maker.newPage();
  await mpage.goto(server.url);
  await mpage.waitForSelector('html[data-stage="full"]', { timeout: 20000 });
  await mpage.evaluate((m) => globalThis.kubeplayEditor.setText(m), MANIFEST);
  await mpage.waitForTimeout(400);
  await mpage.getByTestId("share").click();
  const url = await mpage.getByTestId("share-url").inputValue();
  await maker.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  const page = await context.newPage();
  let release;
  const released = new Promise((r) => (release = r));
  await page.route("**/kubeplay-play_bg.wasm", async (route) => {
    await released;
    return route.continue();
  });
  await page.goto(url);
  await waitFirstStage(page);
  assert.equal(await page.evaluate(() => globalThis.kubeplayEditor.getText()), MANIFEST);
  // The link stays in the address bar for the playground to open.
  assert.match(page.url(), /#/);
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("# mine now\n");
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => localStorage.getItem("kubeplay.text")), null, "nothing saved over a shared view");
  release();
  await page.waitForSelector('html[data-stage="full"]', { timeout: 20000 });
  // The playground opened the link, then took the edit: the view is the learner's now.
  await page.waitForFunction(() => localStorage.getItem("kubeplay.text")?.endsWith("# mine now\n"));
  assert.doesNotMatch(page.url(), /#/);
  await context.close();
});

test("first stage: hovers give a field's path and type; its description comes with the playground", async () => {
  const { context, page, errors, release } = await openHeld();
  const hover = async (needle) => {
    await hoverField(page, needle);
    const tip = page.locator(".cm-tooltip-hover .kp-field");
    await tip.waitFor({ timeout: 5000 });
    return tip.textContent();
  };
  const before = await hover("replicas");
  assert.match(before, /spec\.replicas/);
  assert.match(before, /integer/);
  assert.doesNotMatch(before, /desired pods/i, "no descriptions in the first stage");
  await screenshot(page, "stage-first-hover");
  release();
  await page.waitForSelector('html[data-stage="full"]', { timeout: 20000 });
  await page.getByTestId("kubectl-input").waitFor();
  const after = await hover("replicas");
  assert.match(after, /desired pods/i);
  assert.deepEqual(errors, []);
  await context.close();
});

test("first stage: typing into a share link the playground then refuses leaves the learner's own work", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto(server.url);
  await waitFirstStage(page);
  await page.evaluate((m) => globalThis.kubeplayEditor.setText(m), MANIFEST);
  await page.waitForFunction((m) => localStorage.getItem("kubeplay.text") === m, MANIFEST);

  let release;
  const released = new Promise((r) => (release = r));
  await page.route("**/kubeplay-play_bg.wasm", async (route) => {
    await released;
    return route.continue();
  });
  // A link to a lesson this page does not have: the first stage shows its text only.
  await page.goto(server.url + shareHash("kind: ConfigMap\n", { lesson: "99-time-travel 1" }));
  await page.reload();
  await waitFirstStage(page);
  assert.equal(await page.evaluate(() => globalThis.kubeplayEditor.getText()), "kind: ConfigMap\n");
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("# typed before the playground arrived\n");
  release();
  await page.waitForSelector('html[data-stage="full"]', { timeout: 20000 });
  await page.getByTestId("share-notice").waitFor();
  assert.match(await page.getByTestId("share-notice").textContent(), /Your own work is unchanged\./);
  assert.equal(await page.evaluate(() => globalThis.kubeplayEditor.getText()), MANIFEST);
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => localStorage.getItem("kubeplay.text")), MANIFEST);
  await context.close();
});
