// Browser tests of the playground column (timeline bar, panels, kubectl bar, share links) in
// headless Chromium against dist/. Run `trunk build` first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { SCREENSHOTS, editorText, kubectl, launchChromium, replaceText, serveDist, shareHash, waitEditable } from "./helpers.mjs";


const deployment = (name, replicas, extra = "", strategy = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}${strategy}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: nginx:1.27
          resources:
            requests:
              cpu: 10m
              memory: 16Mi${extra}
`;

const WEB3 = deployment("web", 3);

const OOM = `apiVersion: v1
kind: Pod
metadata:
  name: hungry
  annotations:
    sim.kubeplay.dev/memory: 300Mi
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      resources:
        requests:
          memory: 200Mi
          cpu: 100m
        limits:
          memory: 200Mi
          cpu: 100m
`;

const ROLLING = deployment(
  "web",
  4,
  "",
  `
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 1`,
);

let server;
let browser;

async function open(hash = "", { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(server.url + hash);
  await waitEditable(page);
  await page.locator(".playground[data-simulated]").waitFor({ timeout: 10000 });
  return { context, page, errors };
}

const time = (page) => page.getByTestId("time").textContent();

async function seek(page, seconds) {
  await page.getByTestId("scrub").fill(String(seconds));
}

async function shot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

before(async () => {
  server = await serveDist();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("a Deployment of 3 reaches 3 ready pods while playing; keyboard and scrub", async () => {
  const { context, page, errors } = await open(shareHash(WEB3));
  assert.equal(await time(page), "t=0s");
  await page.getByTestId("speed").selectOption("60");
  await page.getByTestId("play").click();
  assert.equal(await page.getByTestId("play").getAttribute("aria-label"), "Pause");
  await page.waitForFunction(() => document.querySelector('[data-testid="time"]').textContent !== "t=0s");
  await page.locator('[data-testid="pod"][data-ready="true"]').nth(2).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('[data-testid="pod"][data-ready="true"]').count(), 3);
  // Space pauses when focus is outside the editor.
  await page.locator("h1.brand").click();
  await page.keyboard.press("Space");
  assert.equal(await page.getByTestId("play").getAttribute("aria-label"), "Play");
  const paused = await time(page);
  await page.waitForTimeout(300);
  assert.equal(await time(page), paused);
  // Scrubbing back to the start shows no pods yet ready; → steps to the next event.
  await seek(page, 0);
  assert.equal(await time(page), "t=0s");
  assert.equal(await page.locator('[data-testid="pod"][data-ready="true"]').count(), 0);
  await page.locator("h1.brand").click();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await seek(page, 90);
  assert.equal(await time(page), "t=1m30s");
  assert.equal(await page.locator('[data-testid="pod"][data-ready="true"]').count(), 3);
  // Space inside the editor types a space, it does not play.
  await page.locator(".cm-content").click();
  await page.keyboard.press("End");
  await page.keyboard.press("Space");
  assert.equal(await page.getByTestId("play").getAttribute("aria-label"), "Play");
  await shot(page, "play-cluster");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a container over its 200Mi limit is OOMKilled (137) and restarts", async () => {
  const { context, page, errors } = await open(shareHash(OOM, { t: 120 }));
  const pod = page.locator('[data-testid="pod"][data-pod="hungry"]');
  await pod.waitFor();
  assert.ok(Number(await pod.getAttribute("data-restarts")) >= 1);
  assert.match(await pod.getAttribute("class"), /pod-crash/);
  assert.match(await pod.getAttribute("aria-label"), /QoS Guaranteed/);
  const describe = await kubectl(page, "describe pod hungry");
  assert.match(describe, /OOMKilled/);
  assert.match(describe, /137/);
  await page.getByRole("tab", { name: /Events/ }).click();
  assert.ok((await page.locator('[data-testid="event-row"][data-reason="BackOff"], [data-testid="event-row"][data-reason="OOMKilling"], [data-testid="event-row"][data-reason="Killing"]').count()) >= 0);
  await shot(page, "play-oom");
  assert.deepEqual(errors, []);
  await context.close();
});

test("kubectl bar: get pods, describe, logs, events, rollout, history and completion", async () => {
  const { context, page, errors } = await open(shareHash(WEB3, { t: 60 }));
  const table = await kubectl(page, "get pods");
  assert.match(table, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
  assert.equal((table.match(/1\/1\s+Running/g) ?? []).length, 3);
  const name = table.split("\n")[1].split(/\s+/)[0];
  assert.match(await kubectl(page, `describe pod ${name}`), new RegExp(`Name:\\s+${name}`));
  assert.ok((await kubectl(page, `logs ${name}`)).length >= 0);
  // -o yaml: what the API server stores, defaults and status included.
  const yaml = await kubectl(page, `get pod ${name} -o yaml`);
  assert.match(yaml, /^apiVersion: v1\nkind: Pod\n/);
  assert.match(yaml, /\n    imagePullPolicy: IfNotPresent\n/);
  assert.match(yaml, /\n  qosClass: (Guaranteed|Burstable|BestEffort)\n/);
  assert.match(yaml, /\n    kind: ReplicaSet\n/);
  assert.equal(JSON.parse(await kubectl(page, `get pod ${name} -o json`)).metadata.name, name);
  assert.match(await kubectl(page, "get events"), /Scheduled/);
  assert.match(await kubectl(page, "rollout status deploy/web"), /successfully rolled out/);
  assert.match(await kubectl(page, "scale deploy/web --replicas=5"), /deployment.apps\/web scaled/);
  await seek(page, 120);
  assert.equal(await page.locator('[data-testid="pod"][data-ready="true"]').count(), 5);
  assert.match(await kubectl(page, "frobnicate"), /error/);
  // History: ↑ brings back the last command.
  await page.getByTestId("kubectl-input").press("ArrowUp");
  assert.equal(await page.getByTestId("kubectl-input").inputValue(), "frobnicate");
  await page.getByTestId("kubectl-input").press("ArrowUp");
  assert.equal(await page.getByTestId("kubectl-input").inputValue(), "scale deploy/web --replicas=5");
  // Completion offers names from the cluster.
  await page.getByTestId("kubectl-input").fill("describe pod ");
  const options = await page.locator("#kubectl-completions option").evaluateAll((o) => o.map((x) => x.value));
  assert.ok(options.includes(`describe pod ${name}`), options.join());
  await shot(page, "play-kubectl");
  assert.deepEqual(errors, []);
  await context.close();
});

test("rolling update never drops below the band; undo is a revision change", async () => {
  const { context, page, errors } = await open(
    shareHash(ROLLING, {
      t: 0,
      panel: "rollout",
      steps: [
        [60, "set image deploy/web web=nginx:1.28"],
        [180, "rollout undo deploy/web"],
      ],
    }),
  );
  const summary = page.getByTestId("rollout-summary");
  await summary.waitFor();
  const revisions = new Set();
  for (let t = 30; t <= 300; t += 3) {
    await seek(page, t);
    const available = Number(await summary.getAttribute("data-available"));
    const min = Number(await summary.getAttribute("data-min"));
    const max = Number(await summary.getAttribute("data-max"));
    revisions.add(await summary.getAttribute("data-revision"));
    assert.ok(available >= min, `t=${t}: ${available} available < ${min}`);
    assert.ok(available <= max, `t=${t}: ${available} available > ${max}`);
    if (t === 90) await shot(page, "play-rollout");
  }
  assert.deepEqual([...revisions], ["1", "2", "3"]);
  // `rollout undo` reuses revision 1's ReplicaSet and renumbers it 3: the table follows the
  // cursor, so the same ReplicaSet reads revision 1 before the undo and 3 after it.
  const rows = async () =>
    page.getByTestId("rs-table").locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [tr.dataset.rs, tr.dataset.revision, tr.dataset.pods, tr.classList.contains("rs-current")]),
    );
  await seek(page, 150);
  const before = await rows();
  await seek(page, 300);
  const after = await rows();
  assert.equal(before.length, 2, JSON.stringify(before));
  const [first] = before.filter((r) => r[1] === "1");
  const [second] = before.filter((r) => r[1] === "2");
  assert.ok(first && second, JSON.stringify(before));
  assert.deepEqual(second.slice(2), ["4", true], "rev 2 carries all pods before the undo");
  assert.deepEqual(after.find((r) => r[0] === first[0]).slice(1), ["3", "4", true], JSON.stringify(after));
  assert.deepEqual(after.find((r) => r[0] === second[0]).slice(1), ["2", "0", false], JSON.stringify(after));
  assert.equal(await page.locator(`path.rs-new[data-rs="${first[0]}"]`).count(), 1);
  await shot(page, "play-rollout-undo");
  assert.equal(await summary.getAttribute("data-min"), "3");
  assert.equal(await summary.getAttribute("data-max"), "5");
  assert.deepEqual(errors, []);
  await context.close();
});

test("events: clicking a row scrubs to its time and selects its line", async () => {
  const { context, page, errors } = await open(shareHash(WEB3, { t: 600, panel: "events" }));
  const row = page.locator('[data-testid="event-row"][data-line]').first();
  await row.waitFor();
  const line = Number(await row.getAttribute("data-line"));
  await row.click();
  assert.notEqual(await time(page), "t=10m0s");
  assert.equal(await page.locator(".cm-activeLine").count(), 1);
  const lineText = WEB3.split("\n")[line - 1];
  assert.equal(await page.locator(".cm-activeLine").textContent(), lineText);
  await shot(page, "play-events");
  assert.deepEqual(errors, []);
  await context.close();
});

test("share: the button's link reproduces the view; bad links keep the autosaved text", async () => {
  const { context, page, errors } = await open();
  await replaceText(page, WEB3);
  await page.waitForTimeout(700); // analysis, autosave, simulation
  await kubectl(page, "scale deploy/web --replicas=4");
  await seek(page, 75);
  await page.getByRole("tab", { name: "Rollout" }).click();
  await page.getByTestId("share").click();
  const url = await page.getByTestId("share-url").inputValue();
  assert.match(url, /#v1:[A-Za-z0-9_-]+$/);

  const other = await context.newPage();
  await other.goto(url);
  await waitEditable(other);
  assert.equal(await editorText(other), WEB3);
  assert.equal(await other.getByTestId("time").textContent(), "t=1m15s");
  assert.equal(await other.getByRole("tab", { name: "Rollout" }).getAttribute("aria-selected"), "true");
  assert.match(await other.getByTestId("share-notice").textContent(), /shared view/);
  await other.getByRole("tab", { name: "Cluster" }).click();
  assert.equal(await other.locator('[data-testid="pod"]').count(), 4);
  // The fragment is gone from the address bar after opening.
  assert.equal(new URL(other.url()).hash, "");

  const hash = url.slice(url.indexOf("#"));
  for (const [bad, message] of [
    [hash.slice(0, -6), /damaged/],
    [hash.slice(0, 20) + (hash[20] === "A" ? "B" : "A") + hash.slice(21), /damaged/],
    ["#v7:" + hash.slice(4), /newer kubeplay/],
  ]) {
    const p = await context.newPage();
    await p.goto(server.url + bad);
    await waitEditable(p);
    await p.getByTestId("share-notice").waitFor();
    assert.match(await p.getByTestId("share-notice").textContent(), message);
    assert.equal(await p.getByTestId("share-notice").getAttribute("role"), "alert");
    // The learner's autosaved text, not the link's.
    assert.equal(await editorText(p), WEB3);
    if (message.source === "newer kubeplay") await shot(p, "play-bad-link");
    await p.close();
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("simulator benchmarks in wasm: 1,000-replica rollout and 24 h of HPA", async () => {
  const { context, page } = await open();
  const ms = await page.evaluate(() => {
    const run = (name, n) => window.wasmBindings.bench_simulate(name, n);
    run("rollout_1000", 2); // warm up
    run("hpa_24h", 2);
    return { rollout: run("rollout_1000", 10), hpa: run("hpa_24h", 10), unknown: run("nothing", 1) };
  });
  console.log(`# wasm simulate: 1,000-replica rollout ${ms.rollout.toFixed(2)} ms, 24 h HPA ${ms.hpa.toFixed(2)} ms`);
  await writeFile(path.join(SCREENSHOTS, "sim-bench-wasm.json"), JSON.stringify(ms, null, 2) + "\n");
  assert.ok(Number.isFinite(ms.rollout) && ms.rollout > 0);
  assert.ok(Number.isFinite(ms.hpa) && ms.hpa > 0);
  assert.ok(Number.isNaN(ms.unknown));
  await context.close();
});

test("budgets: time to interactive and frame time while playing 500 pods", async () => {
  const manifest = [0, 1, 2, 3, 4].map((i) => deployment(`app-${i}`, 100)).join("---\n");
  const { context, page, errors } = await open(shareHash(manifest));
  const tti = await page.evaluate(() => performance.now());
  await page.locator('[data-testid="pod"]').first().waitFor();
  await page.getByTestId("speed").selectOption("15");
  await page.getByTestId("play").click();
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const stamps = [];
        const tick = (ts) => {
          stamps.push(ts);
          if (stamps.length < 181) requestAnimationFrame(tick);
          else resolve(stamps.slice(1).map((s, i) => s - stamps[i]));
        };
        requestAnimationFrame(tick);
      }),
  );
  await page.getByTestId("play").click();
  const sorted = [...frames].sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  const pods = await page.locator('[data-testid="pod"], [data-testid="pending-pod"]').count();
  const report = { ttiMs: Math.round(tti), frames: frames.length, meanFrameMs: +mean.toFixed(1), p95FrameMs: +p95.toFixed(1), maxFrameMs: +sorted.at(-1).toFixed(1), podsShown: pods };
  console.log("play budgets", JSON.stringify(report));
  await writeFile(path.join(SCREENSHOTS, "play-budgets.json"), JSON.stringify(report, null, 2) + "\n");
  await shot(page, "play-500-pods");
  assert.ok(pods >= 300, `only ${pods} pods drawn`);
  assert.deepEqual(errors, []);
  await context.close();
});
