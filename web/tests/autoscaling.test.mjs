// Browser test of the Autoscaling panel: a Deployment with a CPU request and an HPA, pasted
// into the editor; the load slider adds load steps; the panel shows the HPA scaling up by
// its formula, reaching maxReplicas, and scaling down only after the stabilization window.
// Run `trunk build` first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { SCREENSHOTS, withServerAndBrowser } from "./helpers.mjs";
import { frameTimes, openPanel, seek, shot } from "./panel-helpers.mjs";

// An idle web app (20m of its 100m request) with an HPA at 50 % CPU, 3 to 8 replicas.
const WEB = `apiVersion: apps/v1
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
      annotations:
        sim.kubeplay.dev/cpu: 20m
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 3
  maxReplicas: 8
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 50
`;
const TARGET = 50;
const MAX = 8;
const WINDOW = 300;

let server;
let browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** The HPA's state at the current time, as the panel shows it. */
async function hpaNow(page) {
  const now = page.getByTestId("hpa-now");
  const num = async (attr) => {
    const v = await now.getAttribute(attr);
    return v === null ? null : Number(v);
  };
  return {
    current: await num("data-current"),
    desired: await num("data-desired"),
    utilization: await num("data-utilization"),
  };
}

/** Sets the load slider (millicores per pod) at the current time. */
async function setLoad(page, milli) {
  await page.getByTestId("load-slider").fill(String(milli));
  await page
    .getByTestId("session-steps")
    .getByText(`sim load deployment/web --cpu=${milli}m`)
    .waitFor();
}

/** The rescales the chart's text alternative lists: [{from, to, t}]. */
async function rescales(page) {
  const summary = await page.getByTestId("hpa-summary").textContent();
  return [...summary.matchAll(/(\d+) → (\d+) at t=(?:(\d+)m)?(\d+)s/g)].map((m) => ({
    from: Number(m[1]),
    to: Number(m[2]),
    t: Number(m[3] ?? 0) * 60 + Number(m[4]),
  }));
}

test("the HPA scales up by its formula under load and down after the stabilization window", async () => {
  const { context, page, errors } = await openPanel(browser, server.url, WEB, "Autoscaling");
  const card = page.locator('[data-testid="hpa"][data-hpa="web"]');
  await card.waitFor();
  assert.match(await card.textContent(), /Deployment\/web · min 3 · max 8 · target 50% CPU/);

  // Play a little: the HPA keeps minReplicas and has no metric yet (metrics-server needs its
  // pods running for one 15-s resolution, read at the next 15-s sync).
  await page.getByTestId("speed").selectOption("60");
  await page.getByTestId("play").click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="scrub"]').value) >= 20);
  await page.getByTestId("play").click();
  await seek(page, 25);
  assert.deepEqual(await hpaNow(page), { current: 3, desired: 3, utilization: null });
  assert.deepEqual(await rescales(page), []);

  // 80m per pod from t=30s: 80 % of the request.
  await seek(page, 30);
  await setLoad(page, 80);
  assert.equal(await page.getByTestId("load-value").getAttribute("data-milli"), "80");
  const [first] = await rescales(page);
  assert.ok(first, await page.getByTestId("hpa-summary").textContent());
  assert.ok(first.t >= 30 && first.t < 45, `first rescale at ${first.t}s`);
  await seek(page, first.t);
  const at = await hpaNow(page);
  assert.equal(at.current, 3);
  assert.equal(at.utilization, 80);
  // ceil(currentReplicas × currentUtilization / target), within the no-behavior scale-up
  // limit max(2 × current, 4) and maxReplicas.
  const formula = Math.ceil((at.current * at.utilization) / TARGET);
  const expected = Math.min(formula, Math.max(2 * at.current, 4), MAX);
  assert.equal(expected, 5);
  assert.equal(at.desired, expected);
  assert.equal(first.to, expected);

  // The load is per pod, so more replicas do not lower it: the HPA climbs to maxReplicas.
  await seek(page, 180);
  assert.deepEqual(await hpaNow(page), { current: MAX, desired: MAX, utilization: 80 });

  // The load drops to 20m at t=4m: the recommendation falls at once, but the replicas hold
  // until the last high recommendation (the sync before the drop) leaves the 300-s window.
  await seek(page, 240);
  await setLoad(page, 20);
  await seek(page, 240 + WINDOW - 30);
  const held = await hpaNow(page);
  assert.deepEqual(held, { current: MAX, desired: MAX, utilization: 20 });
  assert.ok((await page.getByTestId("stabilized").count()) >= 1);
  const down = (await rescales(page)).find((r) => r.to < r.from);
  assert.ok(down, await page.getByTestId("hpa-summary").textContent());
  assert.ok(down.t >= 240 + WINDOW - 15 && down.t <= 240 + WINDOW, `scale-down at ${down.t}s`);
  await seek(page, down.t);
  const after = await hpaNow(page);
  assert.equal(after.current, MAX);
  assert.equal(after.desired, Math.max(Math.ceil((MAX * 20) / TARGET), 3));
  // The shaded stretch runs from the drop to the scale-down.
  const clock = (s) => `t=${Math.floor(s / 60)}m${s % 60}s`;
  assert.ok(
    (await page.getByTestId("hpa-summary").textContent()).includes(
      `scale-down held by the 300 s stabilization window from t=4m0s to ${clock(down.t)}`,
    ),
  );
  const chart = page.getByTestId("hpa-chart");
  assert.match(await chart.getAttribute("aria-label"), /^hpa\/web: scaled 3 → 5 at t=30s/);
  await shot(page, "autoscaling");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the load slider works from the keyboard and replaces its own step at the same time", async () => {
  const { context, page, errors } = await openPanel(browser, server.url, WEB, "Autoscaling");
  const slider = page.getByTestId("load-slider");
  await slider.waitFor();
  assert.equal(await page.getByLabel(/Load: CPU each pod of web asks for/).count(), 1);
  await seek(page, 60);
  await slider.focus();
  const before = Number(await page.getByTestId("load-value").getAttribute("data-milli"));
  assert.equal(before, 20);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  // 5m steps (5 % of the 100m request); each press replaces the step at t=1m0s.
  await page.getByTestId("session-steps").getByText("sim load deployment/web --cpu=30m").waitFor();
  assert.equal(await page.getByTestId("load-value").getAttribute("data-milli"), "30");
  assert.equal(await page.getByTestId("session-steps").locator("li").count(), 1);
  assert.match(await page.getByTestId("load-value").textContent(), /30m per pod, 30% of the 100m request/);
  // The kubectl bar completes the same command.
  await page.getByTestId("kubectl-input").fill("sim load ");
  const options = await page.locator("#kubectl-completions option").evaluateAll((o) => o.map((x) => x.value));
  assert.ok(options.includes("sim load deployment/web"), options.join());
  await slider.focus();
  // Focus is visible on the slider.
  const outline = await slider.evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, "none");
  assert.deepEqual(errors, []);
  await context.close();
});

test("500 pods: frame times while playing with the Autoscaling and QoS panels open (report)", async () => {
  // Five Deployments of 100 replicas, each with an HPA (100 to 120 replicas) under load.
  const manifest = [0, 1, 2, 3, 4]
    .map((i) =>
      WEB.replaceAll("web", `app-${i}`)
        .replace("replicas: 3", "replicas: 100")
        .replace("minReplicas: 3", "minReplicas: 100")
        .replace("maxReplicas: 8", "maxReplicas: 120")
        .replace("cpu: 20m", "cpu: 60m")
        .replace("cpu: 100m", "cpu: 10m")
        .replace("memory: 64Mi", "memory: 8Mi"),
    )
    .join("---\n");
  const { context, page, errors } = await openPanel(browser, server.url, manifest, "Autoscaling");
  await page.locator('[data-testid="hpa"]').nth(4).waitFor();
  const report = { autoscaling: await frameTimes(page) };
  await page.getByRole("tab", { name: "QoS" }).click();
  await page.getByTestId("qos-panel").waitFor();
  report.qos = await frameTimes(page);
  report.pods = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="qos-group"] h3')].reduce(
      (n, h) => n + Number(h.textContent.match(/\((\d+)\)/)[1]),
      0,
    ),
  );
  console.log("panel frame times", JSON.stringify(report));
  await writeFile(path.join(SCREENSHOTS, "panels-budgets.json"), JSON.stringify(report, null, 2) + "\n");
  assert.ok(report.pods >= 500, `${report.pods} pods`);
  assert.deepEqual(errors, []);
  await context.close();
});
