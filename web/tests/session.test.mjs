// Browser tests of the learner's session: kubectl steps autosaved and restored on reload
// (issue 7), and share links that open a lesson step without overwriting the receiver's own
// work (issue 8). Each browser context is one learner with their own localStorage.
// Run `trunk build` first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT, SCREENSHOTS, editorText, kubectl, launchChromium, replaceText, serveDist, shareHash, waitEditable } from "./helpers.mjs";

const WEB3 = `apiVersion: apps/v1
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
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
`;

const FREE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: my-own-work
data:
  note: the receiver's own manifest
`;

const lessonFile = (lesson, name) => readFile(path.join(ROOT, "lessons", lesson, name), "utf8");


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

/** A learner: a fresh context (its own localStorage) and a page. */
async function learner() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, errors };
}

async function go(page, hash = "") {
  await page.goto(server.url + hash);
  await waitEditable(page);
  await page.locator(".playground[data-simulated]").waitFor({ timeout: 10000 });
}

/**
 * Opens `url` in a new tab of the same learner (same localStorage): a link pasted into the
 * address bar of a page at the same address would only change its fragment.
 */
async function openLink(context, old, url, errors) {
  await old.close();
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await waitEditable(page);
  return page;
}

/** A learner whose own work is the manifest FREE, autosaved. */
async function learnerWithOwnWork() {
  const l = await learner();
  await go(l.page);
  await replaceText(l.page, FREE);
  await l.page.waitForTimeout(400);
  return l;
}

const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);
const pods = (page) => page.locator('[data-testid="pod"]').count();
const card = (page) => page.locator('aside.lesson-card[aria-label="Lesson"]');
const notice = (page) => page.getByTestId("share-notice");

/** Waits until the cluster shows `n` pods (the simulation runs after a short debounce). */
async function expectPods(page, n) {
  await page.getByTestId("scrub").fill("120");
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid="pod"]').length === want, n, {
    timeout: 5000,
  });
  assert.equal(await pods(page), n);
}

test("kubectl steps are autosaved: after a reload the scale step is still there and the cluster shows 5", async () => {
  const { context, page, errors } = await learner();
  await go(page);
  await replaceText(page, WEB3);
  await page.waitForTimeout(700); // analysis, autosave, simulation
  await expectPods(page, 3);
  await page.getByTestId("scrub").fill("0");
  assert.match(await kubectl(page, "scale deploy/web --replicas=5"), /deployment.apps\/web scaled/);
  await kubectl(page, "get pods"); // a query is not a step
  assert.equal(await page.getByTestId("session-step").count(), 1);
  assert.equal(await stored(page, "kubeplay.steps"), "kubeplay-steps 1\nstep 0 scale deploy/web --replicas=5\n");

  await page.reload();
  await waitEditable(page);
  await page.locator(".playground[data-simulated]").waitFor();
  assert.equal(await editorText(page), WEB3);
  assert.equal(await page.getByTestId("session-step").count(), 1);
  assert.match(await page.getByTestId("session-step").textContent(), /t=0s\s*scale deploy\/web --replicas=5/);
  await expectPods(page, 5);
  assert.match(await kubectl(page, "get deploy web"), /web\s+5\/5/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "session-steps.png") });

  // A later step, then removing the first: both survive a reload as they were left.
  await page.getByTestId("scrub").fill("60");
  await kubectl(page, "rollout restart deploy/web");
  await page.getByRole("button", { name: "Remove the step scale deploy/web --replicas=5 at t=0s" }).click();
  assert.equal(await stored(page, "kubeplay.steps"), "kubeplay-steps 1\nstep 60000 rollout restart deploy/web\n");
  await page.reload();
  await waitEditable(page);
  await page.locator(".playground[data-simulated]").waitFor();
  const steps = page.getByTestId("session-step");
  assert.equal(await steps.count(), 1);
  assert.match(await steps.textContent(), /t=1m0s\s*rollout restart deploy\/web/);
  await page.getByRole("button", { name: "Remove all your kubectl steps" }).click();
  assert.equal(await page.getByTestId("session-steps").count(), 0);
  assert.equal(await stored(page, "kubeplay.steps"), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a lesson keeps its own kubectl steps: free-play steps are put aside and come back on Leave", async () => {
  const { context, page, errors } = await learner();
  await go(page);
  await replaceText(page, WEB3);
  await page.waitForTimeout(500);
  await kubectl(page, "scale deploy/web --replicas=5");
  await page.getByRole("button", { name: "Lessons", exact: true }).click();
  await page.getByRole("button", { name: "Start lesson 1: Your first Pod" }).click();
  await card(page).waitFor();
  assert.equal(await page.getByTestId("session-steps").count(), 0);
  await page.locator("#lesson-leave").click();
  await page.waitForFunction(() => globalThis.kubeplayEditor.getText().includes("name: web"));
  assert.equal(await editorText(page), WEB3);
  assert.equal(await page.getByTestId("session-step").count(), 1);
  await page.waitForTimeout(300);
  assert.equal(await stored(page, "kubeplay.steps"), "kubeplay-steps 1\nstep 0 scale deploy/web --replicas=5\n");
  assert.deepEqual(errors, []);
  await context.close();
});

test("share links open a lesson step with the sender's text without overwriting the receiver's work", async (t) => {
  const solution2 = await lessonFile("01-first-pod", "step2.solution.yaml");
  const starter1of3 = await lessonFile("03-deployments", "step1.starter.yaml");
  const sender = await learner();
  let link;

  await t.test("the sender shares lesson 1 step 2 with their text", async () => {
    const page = sender.page;
    await go(page);
    await page.getByRole("button", { name: "Lessons", exact: true }).click();
    await page.getByRole("button", { name: "Lesson 1 step 2: From Pending to Running" }).click();
    await card(page).waitFor();
    await replaceText(page, solution2);
    await card(page).locator(".lesson-why").waitFor();
    await page.getByTestId("share").click();
    link = await page.getByTestId("share-url").inputValue();
    assert.match(await notice(page).textContent(), /Link copied: it holds Lesson 1 · Your first Pod · step 2, this manifest/);
  });

  await t.test("a receiver in free play sees the step, and a reload gives their own work back", async () => {
    const { context, page: first, errors } = await learnerWithOwnWork();
    const page = await openLink(context, first, link, errors);
    await card(page).waitFor();
    assert.equal(await editorText(page), solution2);
    assert.match(await card(page).locator(".lesson-crumb").textContent(), /Lesson 1 · Your first Pod · step 2 of 3/);
    // The sender's text passes the goals, but it is not the receiver's work.
    await card(page).locator(".lesson-why").waitFor();
    assert.equal(await notice(page).getAttribute("role"), "status");
    assert.match(
      await notice(page).textContent(),
      /Opened a shared lesson step: Lesson 1 · Your first Pod · step 2, with the sender's text\. Nothing of yours has changed: editing here, or moving to another step, puts your own manifest aside/,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, "session-shared-lesson.png") });
    assert.equal(await stored(page, "kubeplay.text"), FREE);
    const progress = await stored(page, "kubeplay.lessons");
    assert.ok(progress === null || !/done|current/.test(progress), progress);

    await page.reload();
    await waitEditable(page);
    assert.equal(await editorText(page), FREE);
    assert.equal(await card(page).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  await t.test("editing the shared step makes it the receiver's; Leave brings their manifest back", async () => {
    const { context, page: first, errors } = await learnerWithOwnWork();
    const page = await openLink(context, first, link, errors);
    await card(page).waitFor();
    await page.click(".cm-content");
    await page.keyboard.press("Control+End");
    await page.keyboard.type("# mine now\n");
    await page.waitForTimeout(400);
    assert.match(await stored(page, "kubeplay.text"), /# mine now/);
    assert.equal(await stored(page, "kubeplay.lessons.free"), FREE);
    assert.match(await stored(page, "kubeplay.lessons"), /current 01-first-pod 1\n(.|\n)*done 01-first-pod 1/);
    await page.locator("#lesson-leave").click();
    await page.waitForFunction(() => globalThis.kubeplayEditor.getText().includes("my-own-work"));
    assert.equal(await editorText(page), FREE);
    assert.deepEqual(errors, []);
    await context.close();
  });

  await t.test("a receiver inside another lesson is told what an edit would replace; Leave returns to it", async () => {
    const { context, page: first, errors } = await learnerWithOwnWork();
    let page = first;
    await page.getByRole("button", { name: "Lessons", exact: true }).click();
    await page.getByRole("button", { name: "Start lesson 3: Deployments and ReplicaSets" }).click();
    await card(page).waitFor();
    await page.click(".cm-content");
    await page.keyboard.press("Control+End");
    await page.keyboard.type("# my lesson 3 work\n");
    await page.waitForTimeout(400);
    const mine = await editorText(page);
    assert.ok(mine.startsWith(starter1of3));

    page = await openLink(context, page, link, errors);
    await card(page).waitFor();
    assert.equal(await editorText(page), solution2);
    assert.match(
      await notice(page).textContent(),
      /replaces your saved text for Lesson 3 · Deployments and ReplicaSets · step 1 \(the steps you completed stay completed\)\. Leave goes back to your own work\./,
    );
    assert.equal(await stored(page, "kubeplay.text"), mine);
    assert.match(await stored(page, "kubeplay.lessons"), /current 03-deployments 0/);

    await page.locator("#lesson-leave").click();
    await page.waitForFunction(() => globalThis.kubeplayEditor.getText().includes("# my lesson 3 work"));
    assert.equal(await editorText(page), mine);
    assert.match(await card(page).locator(".lesson-crumb").textContent(), /Lesson 3 · Deployments and ReplicaSets · step 1 of 3/);
    assert.equal(await notice(page).count(), 0);
    await page.reload();
    await waitEditable(page);
    assert.equal(await editorText(page), mine);
    assert.deepEqual(errors, []);
    await context.close();
  });

  await t.test("a link to a lesson or step this page does not have says so and opens nothing", async () => {
    const { context, page: first, errors } = await learnerWithOwnWork();
    let page = first;
    for (const [lesson, message] of [
      ["99-time-travel 1", /This share link opens the lesson “99-time-travel”, which this page does not have \(it may come from a newer kubeplay\)\. Your own work is unchanged\./],
      ["01-first-pod 9", /This share link opens step 9 of the lesson “Your first Pod”, which has 3 steps\. Your own work is unchanged\./],
    ]) {
      page = await openLink(context, page, server.url + shareHash(solution2, { lesson }), errors);
      await notice(page).waitFor();
      assert.equal(await notice(page).getAttribute("role"), "alert");
      assert.match(await notice(page).textContent(), message);
      assert.equal(await editorText(page), FREE);
      assert.equal(await card(page).count(), 0);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, "session-missing-lesson.png") });
    assert.deepEqual(errors, []);
    await context.close();
  });

  await sender.context.close();
});

test("a shared view's kubectl steps are not saved until the receiver changes something", async () => {
  const { context, page: first, errors } = await learnerWithOwnWork();
  const page = await openLink(context, first, server.url + shareHash(WEB3, { steps: [[0, "scale deploy/web --replicas=5"]] }), errors);
  await page.locator(".playground[data-simulated]").waitFor();
  assert.match(await notice(page).textContent(), /Opened a shared view: a manifest and 1 kubectl step\./);
  assert.equal(await page.getByTestId("session-step").count(), 1);
  await expectPods(page, 5);
  assert.equal(await stored(page, "kubeplay.steps"), null);
  assert.equal(await stored(page, "kubeplay.text"), FREE);
  // Running a step adopts the view: the text and both steps are saved.
  await kubectl(page, "scale deploy/web --replicas=2");
  await page.waitForTimeout(200);
  assert.equal(await stored(page, "kubeplay.text"), WEB3);
  assert.equal(
    await stored(page, "kubeplay.steps"),
    "kubeplay-steps 1\nstep 0 scale deploy/web --replicas=5\nstep 120000 scale deploy/web --replicas=2\n",
  );
  assert.deepEqual(errors, []);
  await context.close();
});
