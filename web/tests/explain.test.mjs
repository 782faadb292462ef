// Browser tests of the editor's schema help (issue 4, "Explain"): hovering a field name shows
// its type and description, and field-name completion offers the schema's fields.
// Run `trunk build` first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { editorText, hoverField, replaceText, waitEditable, withServerAndBrowser } from "./helpers.mjs";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
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
          
`;

let server;
let browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test("field names explain themselves and complete from the schema", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(server.url);
  await waitEditable(page);
  await replaceText(page, DEPLOYMENT);

  await t.test("hovering replicas shows its type and description", async () => {
    await hoverField(page, "replicas");
    const tip = page.locator(".cm-tooltip-hover .kp-field");
    await tip.waitFor({ timeout: 5000 });
    const text = await tip.textContent();
    assert.match(text, /spec\.replicas/);
    assert.match(text, /integer/);
    assert.match(text, /pods/i, text);
  });

  await t.test("a container field shows its path through the list", async () => {
    await hoverField(page, "image:");
    const tip = page.locator(".cm-tooltip-hover .kp-field");
    await page.waitForFunction(
      () => document.querySelector(".cm-tooltip-hover .kp-field")?.textContent.includes("containers[].image"),
      null,
      { timeout: 5000 },
    );
    assert.match(await tip.textContent(), /string/);
  });

  await t.test("typing imagePullPo inside a container offers imagePullPolicy", async () => {
    await page.mouse.move(0, 0);
    await page.evaluate(() => {
      const view = globalThis.kubeplayEditor.view;
      const end = view.state.doc.toString().indexOf("nginx:1.27\n") + "nginx:1.27\n".length + 10;
      view.dispatch({ selection: { anchor: end } });
      view.focus();
    });
    await page.keyboard.type("imagePullPo");
    const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "imagePullPolicy" });
    await option.first().waitFor({ timeout: 5000 });
    // CodeMirror ignores Enter for 75 ms after showing the list (interactionDelay).
    await page.waitForTimeout(200);
    await page.keyboard.press("Enter");
    assert.match(await editorText(page), /^ {10}imagePullPolicy$/m);
  });

  assert.deepEqual(errors, []);
  await context.close();
});
