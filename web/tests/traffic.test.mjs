// Browser test of the Traffic panel: a shop (frontend, API, database) with its Services, one
// Ingress and default-deny NetworkPolicies, pasted into the editor and played. Run
// `trunk build` first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT, replaceText, screenshot as shot, waitEditable, withServerAndBrowser } from "./helpers.mjs";

const SHOP = await readFile(path.join(ROOT, "crates/core/tests/fixtures/shop-traffic.yaml"), "utf8");

let server;
let browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** The request tester's answer after typing a host and a path. */
async function request(page, host, pathText) {
  await page.getByTestId("request-host").fill(host);
  await page.getByTestId("request-path").fill(pathText);
  const result = page.getByTestId("request-result");
  return {
    status: await result.getAttribute("data-status"),
    rule: await page.getByTestId("request-rule").textContent(),
    service: await page.getByTestId("request-service").textContent(),
    pod: await page.getByTestId("request-pod").textContent(),
    reason: await page.getByTestId("request-reason").textContent(),
  };
}

const cell = (page, from, to) =>
  page.locator(`[data-testid="reach-cell"][data-from^="${from}"][data-to^="${to}"]`);

/** A page with `manifest` pasted and simulated, on the Traffic panel. */
async function openTraffic(manifest) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(server.url);
  await waitEditable(page);
  await replaceText(page, manifest);
  // The playground re-simulates the pasted manifest.
  await page.waitForFunction(
    () => Number(document.querySelector(".playground")?.dataset.simulated ?? 0) > 0,
  );
  await page.getByRole("tab", { name: "Traffic" }).click();
  return { context, page, errors };
}

test("Services, Ingress rules, the request tester and the reachability matrix follow the cluster", async () => {
  const { context, page, errors } = await openTraffic(SHOP);
  const api = page.locator('[data-testid="service"][data-service="api"]');
  await api.waitFor();
  assert.equal(await api.getAttribute("data-ready"), "0");

  // Before any pod is Ready the API answers 503, and says why.
  await page.getByTestId("scrub").fill("3");
  const early = await request(page, "shop.example.com", "/api/x");
  assert.equal(early.status, "503");
  assert.match(early.reason, /service\/api has no ready endpoints/);
  const notReady = await api.locator('[data-testid="endpoint"][data-ready="false"]').count();
  assert.ok(notReady <= 3, `${notReady}`);
  await shot(page, "traffic-starting");

  // Play until the three API pods are Ready: the Service lists 3 ready endpoints.
  await page.getByTestId("scrub").fill("0");
  await page.getByTestId("speed").selectOption("60");
  await page.getByTestId("play").click();
  await page.waitForSelector('[data-testid="service"][data-service="api"][data-ready="3"]', { timeout: 15000 });
  await page.getByTestId("play").click();
  assert.equal(await api.locator('[data-testid="endpoint"][data-ready="true"]').count(), 3);
  assert.match(await api.getByTestId("service-summary").textContent(), /^3 ready of 3 endpoints$/);

  // Ingress rules as written.
  const rules = await page.getByTestId("ingress-rule").allTextContents();
  assert.deepEqual(rules, ["shopshop.example.com/apiPrefixapi:80", "shopshop.example.com/Exactfrontend:80"]);

  // The request tester routes /api/x to the api Service and names the pod.
  const ok = await request(page, "shop.example.com", "/api/x");
  assert.equal(ok.status, "200", ok.reason);
  assert.equal(ok.rule, "ingress/shop · shop.example.com · /api (Prefix)");
  assert.equal(ok.service, "service/api");
  assert.match(ok.pod, /^pod\/api-[a-z0-9]+-[a-z0-9]{5}$/);
  assert.match(ok.reason, /→ service\/api:80 → pod\/api-.*:8080/);
  const podName = ok.pod.slice("pod/".length);
  assert.equal(await api.locator(`[data-testid="endpoint"][data-pod="${podName}"]`).getAttribute("data-ready"), "true");
  await shot(page, "traffic-routed");

  // /nothing matches no rule (/ is Exact) and there is no defaultBackend: 404, and why.
  const none = await request(page, "shop.example.com", "/nothing");
  assert.equal(none.status, "404");
  assert.equal(none.rule, "none matched");
  assert.equal(none.pod, "none would answer");
  assert.equal(
    none.reason,
    "Why: no Ingress rule matches host shop.example.com and path /nothing, and no Ingress has a defaultBackend",
  );

  // Who can reach whom: default deny; frontend → db is denied, frontend → api allowed.
  const table = page.getByTestId("reach-table");
  assert.equal(await table.getAttribute("data-grouped"), "false");
  const denied = cell(page, "frontend-", "db-").first();
  assert.equal(await denied.getAttribute("data-verdict"), "denied");
  assert.match(await denied.textContent(), /✕\s*denied/);
  assert.equal(await cell(page, "frontend-", "api-").first().getAttribute("data-verdict"), "allowed");
  assert.equal(await cell(page, "Ingress controller", "db-").first().getAttribute("data-verdict"), "denied");
  assert.equal(await cell(page, "Ingress controller", "api-").first().getAttribute("data-verdict"), "allowed");
  // Choosing a cell says which policies decided it.
  await denied.locator("button").click();
  assert.match(
    await page.getByTestId("reach-why").textContent(),
    /→ db-.* on TCP 5432: denied: pod\/db-.* is isolated for ingress by networkpolicy\/db-from-api, networkpolicy\/default-deny-ingress/,
  );
  // The table is one tab stop; arrow keys move between cells, Enter explains one.
  assert.equal(await page.locator('.reach-cell[tabindex="0"]').count(), 1);
  await page.locator("#reach-0-0").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.id), "reach-1-1");
  assert.equal(await page.locator('.reach-cell[tabindex="0"]').getAttribute("id"), "reach-1-1");
  await page.keyboard.press("Enter");
  assert.match(
    await page.getByTestId("reach-why").textContent(),
    /^api-\S+ → api-\S+ on TCP 8080: denied: pod\/api-\S+ is isolated for ingress by networkpolicy\/allow-from-ingress-controller, networkpolicy\/api-from-frontend, networkpolicy\/default-deny-ingress/,
  );
  await page.getByTestId("reach-table").scrollIntoViewIfNeeded();
  await shot(page, "traffic-matrix");

  // The dark theme reads the same.
  await page.getByRole("button", { name: /theme/i }).click();
  await page.getByTestId("traffic-panel").scrollIntoViewIfNeeded();
  await shot(page, "traffic-dark");
  assert.deepEqual(errors, []);
  await context.close();
});

// A shop behind TLS at the Ingress controller, and a NodePort Service for the same pods.
const TLS_SHOP = `${(await readFile(path.join(ROOT, "lessons/06-ingress/step3.solution.yaml"), "utf8")).trimEnd()}
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
type: kubernetes.io/tls
stringData:
  tls.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUTESTONLY
    -----END CERTIFICATE-----
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49TESTONLY
    -----END PRIVATE KEY-----
---
apiVersion: v1
kind: Service
metadata:
  name: web-nodeport
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
      nodePort: 30080
`;

test("the request tester sends https through the Ingress and connects to a node port", async () => {
  const { context, page, errors } = await openTraffic(TLS_SHOP);
  await page.getByTestId("scrub").fill("60");

  // Plain http to a host with a certificate: ingress-nginx's 308 to https.
  const http = await request(page, "shop.example.com", "/");
  assert.equal(http.status, "308");
  assert.match(http.reason, /308 Permanent Redirect to https:\/\/shop\.example\.com\/: ingress-nginx redirects plain HTTP/);

  // https: the Secret's certificate, and a pod answers.
  await page.getByTestId("request-target").selectOption("https");
  await page.waitForFunction(() => document.querySelector('[data-testid="request-result"]')?.dataset.status === "200");
  assert.match(await page.getByTestId("request-certificate").textContent(), /^secret\/default\/shop-tls — ingress\/shop terminates TLS for shop\.example\.com/);
  assert.match(await page.getByTestId("request-pod").textContent(), /^pod\/web-/);
  // A host the certificate does not cover gets the controller's fake certificate.
  await page.getByTestId("request-host").fill("other.example.com");
  assert.match(await page.getByTestId("request-certificate").textContent(), /fake certificate — no Ingress lists other\.example\.com under spec\.tls/);
  await page.getByTestId("request-host").fill("shop.example.com");
  await page.getByTestId("traffic-panel").scrollIntoViewIfNeeded();
  await shot(page, "traffic-https");

  // A node's port: past the Ingress, straight to the NodePort Service's pods.
  await page.getByTestId("request-target").selectOption("nodeport");
  await page.getByTestId("request-node").selectOption("node-2");
  await page.getByTestId("request-port").fill("30080");
  await page.waitForFunction(() => document.querySelector('[data-testid="request-result"]')?.dataset.status === "200");
  assert.equal(await page.getByTestId("request-service").textContent(), "service/web-nodeport");
  assert.equal(await page.getByTestId("request-rule").count(), 0, "no Ingress rule for a node port");
  assert.match(await page.locator('[data-testid="service"][data-service="web-nodeport"]').textContent(), /80:30080→8080\/TCP/);
  assert.match(await page.getByTestId("request-pod").textContent(), /^pod\/web-/);
  // No Service has that port: refused.
  await page.getByTestId("request-port").fill("30081");
  await page.waitForFunction(() => document.querySelector('[data-testid="request-result"]')?.dataset.status === "0");
  assert.match(await page.getByTestId("request-reason").textContent(), /connection refused: no Service has node port 30081/);
  await page.getByTestId("request-port").fill("30080");
  await shot(page, "traffic-nodeport");
  assert.deepEqual(errors, []);
  await context.close();
});
