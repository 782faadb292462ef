// Browser test of the QoS panel: pods of the three QoS classes on one node and a container
// over its memory limit on another, pasted into the editor; the panel groups them, shows the
// OOM kill (OOMKilled, exit 137), and under memory pressure ranks and evicts the BestEffort
// pod first. Run `trunk build` first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kubectl, withServerAndBrowser } from "./helpers.mjs";
import { openPanel, seek, shot } from "./panel-helpers.mjs";

const onNode1 = `
  nodeSelector:
    kubernetes.io/hostname: node-1`;

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: db
spec:${onNode1}
  containers:
    - name: db
      image: postgres:17
      resources:
        requests:
          cpu: 250m
          memory: 512Mi
        limits:
          cpu: 250m
          memory: 512Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:${onNode1}
  containers:
    - name: api
      image: registry.example.com/api:1.0
      resources:
        requests:
          cpu: 100m
          memory: 256Mi
        limits:
          memory: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: cache
  annotations:
    sim.kubeplay.dev/memory: 150Mi
spec:${onNode1}
  containers:
    - name: cache
      image: redis:7
---
apiVersion: v1
kind: Pod
metadata:
  name: hungry
  annotations:
    sim.kubeplay.dev/memory: 300Mi
spec:
  nodeSelector:
    kubernetes.io/hostname: node-2
  containers:
    - name: app
      image: registry.example.com/app:1.0
      resources:
        requests:
          cpu: 100m
          memory: 200Mi
        limits:
          cpu: 100m
          memory: 200Mi
`;
const MI = 1024 * 1024;

let server;
let browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const row = (page, pod) => page.locator(`[data-testid="qos-pod"][data-pod="${pod}"]`);

test("pods by QoS class; a container over its 200Mi limit is OOMKilled with exit code 137", async () => {
  const { context, page, errors } = await openPanel(browser, server.url, PODS, "QoS");
  await seek(page, 60);
  const groups = {};
  for (const qos of ["Guaranteed", "Burstable", "BestEffort"]) {
    groups[qos] = await page
      .locator(`[data-testid="qos-group"][data-qos="${qos}"] [data-testid="qos-pod"]`)
      .evaluateAll((rows) => rows.map((r) => r.dataset.pod));
  }
  assert.deepEqual(groups, { Guaranteed: ["db", "hungry"], Burstable: ["api"], BestEffort: ["cache"] });
  // Requests / limits as written; memory in use now.
  const api = await row(page, "api").locator("td").allTextContents();
  assert.deepEqual(api.slice(0, 4), ["api", "node-1", "100m / –", "256Mi / 1Gi"]);
  assert.equal(await row(page, "cache").getByTestId("qos-memory").getAttribute("data-bytes"), String(150 * MI));
  // The app wants 300Mi under a 200Mi limit: killed by the kernel, restarted with back-off.
  const hungry = row(page, "hungry");
  assert.match(await hungry.getAttribute("data-status"), /OOMKilled, exit 137/);
  assert.equal(await hungry.getAttribute("data-exit"), "137");
  assert.match(await hungry.textContent(), /200Mi \/ 200Mi.*\(asks 300Mi\)/);
  assert.match(await hungry.textContent(), /OOMKilled, exit 137/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("under memory pressure the kubelet evicts the BestEffort pod first", async () => {
  const { context, page, errors } = await openPanel(browser, server.url, PODS, "QoS");
  await seek(page, 60);
  assert.equal(await page.getByTestId("qos-node").inputValue(), "node-1");
  const order = () =>
    page.getByTestId("eviction-order").locator("li").evaluateAll((li) => li.map((l) => [l.dataset.pod, l.dataset.qos]));
  // Using more than it requests (150Mi over 0) ranks first; the others are within theirs.
  assert.deepEqual(await order(), [
    ["cache", "BestEffort"],
    ["db", "Guaranteed"],
    ["api", "Burstable"],
  ]);
  const memory = page.getByTestId("node-memory");
  assert.equal(await memory.getAttribute("data-pressure"), "false");
  await shot(page, "qos-pressure-before");
  // From t=65s other processes take 7296Mi of the node's 8Gi (+100Mi threshold):
  // memory.available = 8292Mi − (512 + 256 + 150)Mi − 7296Mi = 78Mi, below the 100Mi
  // threshold. The kubelet looks every 10 s: at its next pass (t=70s) it reports
  // MemoryPressure and evicts the first-ranked pod (one per pass); with the cache gone the
  // node has 228Mi available again and the others stay.
  await seek(page, 65);
  await page.getByTestId("pressure-slider").fill("7296");
  await page.getByTestId("session-steps").getByText("sim memory-pressure node-1 --usage=7296Mi").waitFor();
  assert.equal(await page.getByTestId("pressure-value").textContent(), "7296Mi");
  // Until the pass, nothing has happened yet: at 69 s memory.available is below the
  // threshold but the kubelet has not looked (an eviction at once would fail here).
  assert.equal(await row(page, "cache").getAttribute("data-status"), "Running");
  assert.equal(await memory.getAttribute("data-pressure"), "false");
  await seek(page, 69);
  assert.equal(await row(page, "cache").getAttribute("data-status"), "Running");
  assert.equal(await memory.getAttribute("data-pressure"), "false");
  assert.equal(Number(await memory.getAttribute("data-available")), 78 * MI);
  assert.match(await memory.textContent(), /below the threshold, the kubelet's next check \(every 10 s\) evicts a pod/);
  await shot(page, "qos-pressure-waiting");
  for (const t of [70, 95]) {
    await seek(page, t);
    assert.equal(await row(page, "cache").getAttribute("data-status"), "Evicted");
    assert.equal(await row(page, "db").getAttribute("data-status"), "Running");
    assert.equal(await row(page, "api").getAttribute("data-status"), "Running");
    assert.equal(await page.getByTestId("evicted").textContent(), "Evicted so far: cache");
    assert.equal(await memory.getAttribute("data-pressure"), "true");
    assert.equal(Number(await memory.getAttribute("data-available")), 228 * MI);
    assert.deepEqual(await order(), [
      ["db", "Guaranteed"],
      ["api", "Burstable"],
    ]);
    // One pod was enough: the check 1 s later found memory.available above the threshold;
    // the condition stays for 5 minutes.
    assert.match(await memory.textContent(), /MemoryPressure until 5 min after the last shortage/);
  }
  // kubectl describe node: the condition since the check at 70 s and the node lifecycle
  // controller's taint, which keeps new pods that do not tolerate it off the node.
  const node = await kubectl(page, "describe node node-1");
  assert.match(node, /\nTaints:\s+node\.kubernetes\.io\/memory-pressure:NoSchedule\n/);
  assert.match(
    node,
    /\n  MemoryPressure\s+True\s+Thu, 01 Jan 2026 00:01:35 \+0000\s+Thu, 01 Jan 2026 00:01:10 \+0000\s+KubeletHasInsufficientMemory\s+kubelet has insufficient memory available\n/,
  );
  // The kubelet's own words, in the Events panel's data.
  const events = await page.getByRole("tab", { name: /Events/ });
  await events.click();
  await page.locator('[data-testid="event-row"][data-reason="Evicted"]').first().waitFor();
  assert.match(
    await page.locator('[data-testid="event-row"][data-reason="Evicted"]').first().textContent(),
    /The node was low on resource: memory\. Threshold quantity: 100Mi, available: 78Mi\. Container cache was using 150Mi, request is 0/,
  );
  await page.getByRole("tab", { name: "QoS" }).click();
  await shot(page, "qos-evicted");
  // A share link carries the open panel and the pressure step: it opens on the QoS panel
  // with the cache evicted.
  await page.getByTestId("share").click();
  const link = await page.getByTestId("share-url").inputValue();
  const other = await context.newPage();
  await other.goto(link);
  await other.getByTestId("qos-panel").waitFor();
  assert.equal(await other.getByRole("tab", { name: "QoS" }).getAttribute("aria-selected"), "true");
  await other.getByText("sim memory-pressure node-1 --usage=7296Mi").waitFor();
  assert.equal(await row(other, "cache").getAttribute("data-status"), "Evicted");
  assert.deepEqual(errors, []);
  await context.close();
});
