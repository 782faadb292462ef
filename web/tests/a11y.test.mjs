// Accessibility: axe-core (npm devDependency) runs inside the page on every view a learner
// meets (the editor, the playground with each panel open, the lesson index and a lesson
// card), in the light and the dark theme, and no `serious` or `critical` violation may be
// found. Run `trunk build` first.
//
// The page's Content-Security-Policy refuses inline scripts (so `page.addScriptTag` with the
// source cannot run) and Trusted Types refuse script text; axe's source is evaluated through
// the DevTools protocol instead (`page.evaluate`), which the page's policy does not govern, and
// axe only reads the DOM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT, replaceText, screenshot, waitEditable, withServerAndBrowser } from "./helpers.mjs";

const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SHOP = await readFile(path.join(ROOT, "crates/core/tests/fixtures/shop-traffic.yaml"), "utf8");

let server;
let browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// The impacts that fail the test; A11Y_IMPACTS=minor,moderate,serious,critical lists all.
const IMPACTS = (process.env.A11Y_IMPACTS ?? "serious,critical").split(",");

/** Runs axe on the whole page; returns the violations of the failing impacts, readable. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof globalThis.axe === "object"))) {
    await page.evaluate(AXE);
  }
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
    }));
  });
  return violations.filter((v) => IMPACTS.includes(v.impact));
}

/** Fails with every serious or critical violation of the current view, named by `where`. */
async function expectClean(page, where, found) {
  const bad = await audit(page);
  for (const v of bad) {
    found.push(`${where}: [${v.impact}] ${v.id} (${v.help})\n    ${v.nodes.slice(0, 6).join("\n    ")}`);
  }
}

for (const scheme of ["light", "dark"]) {
  test(`no serious or critical axe violations (${scheme} theme)`, async (t) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    const found = [];
    await page.goto(server.url);
    await waitEditable(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), scheme);

    await t.test("the editor with problems", async () => {
      await replaceText(page, SHOP);
      await page.locator(".problem").first().waitFor();
      await expectClean(page, "editor", found);
    });

    await t.test("the playground with each panel open", async () => {
      await page.waitForFunction(() => Number(document.querySelector(".playground")?.dataset.simulated ?? 0) > 0);
      await page.getByTestId("scrub").fill("60");
      const tabs = page.locator('[role="tablist"][aria-label="Panels"] [role="tab"]');
      const names = await tabs.allTextContents();
      assert.ok(names.length >= 4, names.join());
      for (let i = 0; i < names.length; i++) {
        await tabs.nth(i).click();
        const id = await page.locator("#panel-body").getAttribute("data-panel");
        await page.waitForTimeout(100);
        await expectClean(page, `playground, ${id} panel`, found);
        if (id === "traffic") await screenshot(page, `a11y-traffic-${scheme}`);
      }
    });

    await t.test("the lesson index", async () => {
      await page.getByRole("button", { name: "Lessons", exact: true }).click();
      await page.locator('aside[aria-label="Lessons"]').waitFor();
      await expectClean(page, "lesson index", found);
      await screenshot(page, `a11y-lessons-${scheme}`);
    });

    await t.test("a lesson card", async () => {
      await page.getByRole("button", { name: "Start lesson 1: Your first Pod" }).click();
      const card = page.locator('aside.lesson-card[aria-label="Lesson"]');
      await card.waitFor();
      await card.locator(".goal-fail, .goal-pass").first().waitFor();
      await expectClean(page, "lesson card", found);
      await screenshot(page, `a11y-lesson-${scheme}`);
    });

    assert.deepEqual(found, [], `\n${found.join("\n")}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
