// Browser test of lesson steps whose goals check what the simulated cluster does (issue 8):
// a NodePort reached by a request to a node, and a CronJob's runs over 27 simulated hours.
// The starter fails with what the cluster did; the solution, typed in, passes.
// Run `trunk build` first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT, replaceText, screenshot, waitEditable, withServerAndBrowser } from "./helpers.mjs";

let server;
let browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** Opens `Lesson N step S: TITLE` from the index; returns the lesson card. */
async function openStep(page, name) {
  await page.goto(server.url);
  await waitEditable(page);
  await page.getByRole("button", { name: "Lessons", exact: true }).click();
  await page.getByRole("button", { name }).click();
  const card = page.locator('aside.lesson-card[aria-label="Lesson"]');
  await card.waitFor();
  return card;
}

for (const { step, lesson, file, goal, starter, solution, shot, podsAtStart } of [
  {
    step: "Lesson 5 step 2: Reach it from outside the cluster",
    lesson: "05-services-dns",
    file: "step2.solution.yaml",
    goal: "A request from outside to port 30080",
    starter: /connection refused: no Service has node port 30080/,
    solution: /node-2:30080\/ → 200 \(web-/,
    shot: "lesson-nodeport",
  },
  {
    step: "Lesson 17 step 3: Every night at two",
    lesson: "17-jobs-cronjobs",
    file: "step3.solution.yaml",
    goal: "The first report starts at 02:00",
    starter: /created nightly-report-29453762 at t=2m, nightly-report-29455202 at t=24h2m/,
    solution: /created nightly-report-29453880 at t=2h$/,
    shot: "lesson-cronjob",
    // Opening the step simulates its text at once: no pods of the page's previous manifest.
    podsAtStart: 0,
  },
]) {
  test(`lessons: ${step} is checked by what the cluster does`, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    const card = await openStep(page, step);
    if (podsAtStart !== undefined) {
      assert.equal(await page.locator('[data-testid="pod"], [data-testid="pending-pod"]').count(), podsAtStart);
    }
    const item = card.locator("li.goal", { hasText: goal });
    await card.locator("li.goal.goal-fail", { hasText: goal }).waitFor();
    assert.match(await item.locator(".goal-detail").textContent(), starter);

    const simulatedBefore = await page.locator(".playground").getAttribute("data-simulated");
    await replaceText(page, await readFile(path.join(ROOT, "lessons", lesson, file), "utf8"));
    await card.locator("li.goal.goal-pass", { hasText: goal }).waitFor({ timeout: 10000 });
    assert.match(await item.locator(".goal-detail").textContent(), solution);
    assert.equal(await card.locator(".goal-fail").count(), 0);
    // The screenshot shows the cluster of the text it shows.
    await page.waitForFunction((before) => document.querySelector(".playground")?.dataset.simulated !== before, simulatedBefore);
    await screenshot(page, shot);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
