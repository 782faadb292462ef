// Browser test of the lessons as a learner walks them: index, lesson 1, a failing goal, a
// hint, fixing the YAML by typing, the goal ticking, the next step, reload and resume.
// Run `trunk build` first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT, SCREENSHOTS, editorText, launchChromium, replaceText, serveDist, waitEditable } from "./helpers.mjs";

const lessonFile = (name) => readFile(path.join(ROOT, "lessons/01-first-pod", name), "utf8");

const FREE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: my-own-work
data:
  note: kept aside while I take a lesson
`;

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("lessons: a learner walks lesson 1 and resumes after a reload", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const starter1 = await lessonFile("step1.starter.yaml");
  const starter2 = await lessonFile("step2.starter.yaml");
  const card = page.locator('aside.lesson-card[aria-label="Lesson"]');

  await t.test("free-play text first", async () => {
    await page.goto(server.url);
    await waitEditable(page);
    await replaceText(page, FREE);
    await page.waitForTimeout(300); // debounce: analysed and autosaved
  });

  await t.test("the index lists the 20 lessons with progress", async () => {
    await page.getByRole("button", { name: "Lessons", exact: true }).click();
    const index = page.locator('aside[aria-label="Lessons"]');
    await index.waitFor();
    assert.equal(await index.locator("li.lesson-entry").count(), 20);
    assert.equal(await index.locator(".lesson-entry-count").first().textContent(), "0/3");
    await page.screenshot({ path: path.join(SCREENSHOTS, "lesson-index.png") });
  });

  await t.test("starting lesson 1 loads its starter and a goal fails", async () => {
    await page.getByRole("button", { name: "Start lesson 1: Your first Pod" }).click();
    await card.waitFor();
    assert.equal(await card.locator(".lesson-title").textContent(), "Describe one container");
    // The keyboard focus moves to the step's title, not back to the top of the page.
    assert.equal(await page.evaluate(() => document.activeElement?.className), "lesson-title");
    assert.equal(await editorText(page), starter1);
    await card.locator(".goal-fail").first().waitFor();
    // The prose is rendered from Markdown as elements, never as raw HTML.
    assert.ok((await card.locator(".lesson-prose strong").count()) >= 1);
    assert.ok((await card.locator(".lesson-prose code").count()) >= 1);
    await page.screenshot({ path: path.join(SCREENSHOTS, "lesson-failing.png") });
  });

  await t.test("a hint at a time", async () => {
    const hint = page.locator("#lesson-hint");
    assert.equal(await hint.textContent(), "Hint (1 of 3)");
    await hint.focus();
    await page.keyboard.press("Enter");
    assert.equal(await card.locator(".lesson-hints li").count(), 1);
    assert.equal(await hint.textContent(), "Hint (2 of 3)");
  });

  await t.test("fixing the typo by typing ticks every goal and explains why", async () => {
    await page.click(".cm-content");
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowDown");
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Delete");
    await page.keyboard.press("Delete");
    await page.keyboard.type("ai");
    assert.equal(await editorText(page), starter1.replace("contianers", "containers"));
    await card.locator(".lesson-why").waitFor({ timeout: 5000 });
    assert.equal(await card.locator(".goal-fail").count(), 0);
    assert.equal(await card.locator(".goal-pass").count(), 2);
    // Goal wording is Markdown too: `hello` is code, not literal backquotes.
    assert.equal(await card.locator(".goal-name code").first().textContent(), "hello");
    await page.screenshot({ path: path.join(SCREENSHOTS, "lesson-passed.png") });
  });

  await t.test("next step: its starter, its own goals", async () => {
    await page.locator("#lesson-next").click();
    await card.locator(".lesson-title", { hasText: "From Pending to Running" }).waitFor();
    assert.match(await card.locator(".lesson-crumb").textContent(), /step 2 of 3/);
    assert.equal(await editorText(page), starter2);
    await card.locator(".goal-fail").first().waitFor();
    // Show solution reveals the text; the learner's text is not touched until "use it".
    await page.locator("#lesson-solution").click();
    await card.locator(".lesson-solution pre").waitFor();
    assert.equal(await editorText(page), starter2);
    // The solution is shown as a diff against the learner's text.
    assert.match(await card.locator(".lesson-solution del").first().textContent(), /ngnix:1\.27/);
    assert.match(await card.locator(".lesson-solution ins").first().textContent(), /image: nginx/);
    await card.locator(".lesson-solution").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, "lesson-step2.png") });
    await page.locator("#lesson-solution").click();
    // The card folds away to give the editor room, and comes back, by keyboard.
    await page.getByRole("button", { name: "Hide the lesson" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Show the lesson" }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "lesson-collapsed.png") });
    await page.keyboard.press("Enter");
    await card.locator(".lesson-title").waitFor();
  });

  await t.test("reload resumes at step 2, with lesson 1 step 1 done", async () => {
    await page.reload();
    await waitEditable(page);
    await card.locator(".lesson-title", { hasText: "From Pending to Running" }).waitFor();
    assert.equal(await editorText(page), starter2);
    await page.locator("#lessons-toggle").click();
    assert.equal(
      await page.locator('aside[aria-label="Lessons"] .lesson-entry-count').first().textContent(),
      "1/3",
    );
    await page.locator("#lesson-index-close").click();
  });

  await t.test("use the solution (undoable), then leave: the free-play text is back", async () => {
    await page.locator("#lesson-solution").click();
    await page.locator("#lesson-use-solution").click();
    await card.locator(".lesson-why").waitFor({ timeout: 8000 });
    assert.equal(await editorText(page), await lessonFile("step2.solution.yaml"));
    await page.click(".cm-content");
    await page.keyboard.press("Control+z");
    assert.equal(await editorText(page), starter2);
    await page.locator("#lesson-leave").click();
    await card.waitFor({ state: "detached" });
    assert.equal(await editorText(page), FREE);
  });

  assert.deepEqual(errors, []);
  await context.close();
});

test("the debugging lesson is worked in the kubectl bar: its goal ticks once the learner describes the pod", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const card = page.locator('aside.lesson-card[aria-label="Lesson"]');
  const goal = (text) => card.locator("li.goal", { hasText: text });
  const kubectl = async (line) => {
    const before = await page.getByTestId("console-entry").count();
    await page.getByTestId("kubectl-input").fill(line);
    await page.getByTestId("kubectl-input").press("Enter");
    await page.getByTestId("console-entry").nth(before).waitFor();
    return page.getByTestId("console-entry").nth(before).locator("pre").textContent();
  };
  await page.goto(server.url);
  await waitEditable(page);
  await page.getByRole("button", { name: "Lessons", exact: true }).click();
  await page.getByRole("button", { name: "Start lesson 19: The kubectl debugging workflow" }).click();
  await card.waitFor();
  const describe = goal("Read the scheduler's reason");
  await describe.waitFor();
  assert.match(await describe.getAttribute("class"), /goal-fail/);
  assert.match(await describe.locator(".goal-detail").textContent(), /run kubectl describe pod on search/);

  // The playground simulates the step's starter: the search pods wait in the Pending lane.
  await page.locator('[data-testid="pending-pod"]').first().waitFor();
  // Listing pods shows the symptom but is not the step's question; describing one is.
  const pods = await kubectl("get pods");
  assert.match(pods, /search-\S+\s+0\/1\s+Pending/);
  assert.match(await describe.getAttribute("class"), /goal-fail/);
  const name = pods.split("\n")[1].split(/\s+/)[0];
  assert.match(await kubectl(`describe pod ${name}`), /FailedScheduling/);
  await card.locator("li.goal.goal-pass", { hasText: "Read the scheduler's reason" }).waitFor();
  assert.match(await describe.locator(".goal-detail").textContent(), new RegExp(`you ran describe pod ${name}`));
  // The manifest goals still fail until the YAML is fixed.
  assert.ok((await card.locator(".goal-fail").count()) >= 1);
  await page.screenshot({ path: path.join(SCREENSHOTS, "lesson-debugging-kubectl.png") });
  assert.deepEqual(errors, []);
  await context.close();
});
