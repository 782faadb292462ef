// Shared by the Autoscaling and QoS panel tests: open the app, paste a manifest, wait for the
// simulation, open a panel, scrub, and take screenshots.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { SCREENSHOTS, replaceText, waitEditable } from "./helpers.mjs";

/** A page with `text` pasted into the editor, simulated, and the panel `tab` open. */
export async function openPanel(browser, url, text, tab) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await waitEditable(page);
  await replaceText(page, text);
  await page.waitForFunction(
    () => Number(document.querySelector(".playground")?.dataset.simulated ?? 0) > 0,
  );
  await page.getByRole("tab", { name: tab }).click();
  return { context, page, errors };
}

/** Scrubs the timeline to `seconds`. */
export async function seek(page, seconds) {
  await page.getByTestId("scrub").fill(String(seconds));
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="scrub"]').value === String(s),
    seconds,
  );
}

/** Saves a screenshot of the page as web/tests/screenshots/NAME.png. */
export async function shot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Plays at `speed`× and returns the intervals (ms) between 180 animation frames. */
export async function frameTimes(page, speed = "15") {
  await page.getByTestId("speed").selectOption(speed);
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
  return {
    frames: frames.length,
    meanFrameMs: +(frames.reduce((a, b) => a + b, 0) / frames.length).toFixed(1),
    p95FrameMs: +sorted[Math.floor(sorted.length * 0.95)].toFixed(1),
    maxFrameMs: +sorted.at(-1).toFixed(1),
  };
}
