// `tmd serve` in headless Chromium: the live preview follows the file.
//
//   node serve.mjs URL MODEL OUT
//
// URL is a running `tmd serve MODEL` (started by tests/browser.rs); this
// script edits MODEL itself. Checks: the page loads with its diagram; an
// edit shows in the page (the delay is measured and printed; 10 s is a
// watchdog, not a target); the zoom and scroll are kept across the
// reload; an edit that breaks the model shows the overlay with the error
// over the last good diagram; the fix brings the diagram back; another
// path is refused (404) and so is another method (405); no CSP violation
// or script error. Screenshots go to OUT. Exit 0 when every check passes,
// 3 (after "SKIPPED: ...") when Chromium or playwright-core is missing, 1
// on a failed check.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const CHROMIUM = process.env.TMD_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function skip(why) {
  console.log(`SKIPPED: serve browser test: ${why}`);
  process.exit(3);
}

const [url, model, outArg] = process.argv.slice(2);
const out = resolve(outArg || ".");
mkdirSync(out, { recursive: true });
if (!existsSync(CHROMIUM)) skip(`no Chromium at ${CHROMIUM}`);
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  skip("playwright-core is not installed (run tests/browser/setup.sh)");
}

let failures = 0;
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (!ok) {
    failures += 1;
    console.log(`  FAIL ${what}`);
  }
}

const original = readFileSync(model, "utf8");
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, reducedMotion: "reduce" });
const page = await context.newPage();
const problems = [];
// Off for the refused requests at the end, which the console reports.
let listening = true;
page.on("console", (m) => {
  if (listening && (m.type() === "error" || m.type() === "warning")) {
    problems.push(`console ${m.type()}: ${m.text()}`);
  }
});
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

/** Polls `probe` in the page (across reloads) until it is true; the time it took, or -1. */
async function until(probe, arg) {
  const start = Date.now();
  while (Date.now() - start < 10000) {
    try {
      if (await page.evaluate(probe, arg)) return Date.now() - start;
    } catch (e) { /* the page is reloading */ }
    await new Promise((r) => setTimeout(r, 20));
  }
  return -1;
}
const has = (id) => !!document.querySelector(`svg.tmd-diagram-svg [data-tmd-id="${id}"]`);
const overlayShown = () => { const b = document.getElementById("tmd-live"); return !!b && !b.hidden; };
const view = () => ({
  diagram: window.tmdReport ? window.tmdReport.view() : null,
  y: window.scrollY,
  loaded: performance.timeOrigin,
});

try {
  await page.goto(url, { waitUntil: "load" });
  check(await page.evaluate(() => !!document.querySelector("svg.tmd-diagram-svg")), "the page shows the diagram");
  check(!(await page.evaluate(overlayShown)), "no overlay on a good model");
  check(await page.evaluate(() => !!window.tmdReport), "the report exposes its view");

  // Zoom in, pan, scroll the window: the view to keep.
  for (let i = 0; i < 3; i += 1) await page.click('button[data-zoom="in"]');
  await page.evaluate(() => {
    const f = document.querySelector(".diagram-frame");
    f.scrollLeft = 60;
    f.scrollTop = 40;
    document.getElementById("diagram").scrollIntoView({ block: "start" });
    window.scrollBy(0, -30);
  });
  const before = await page.evaluate(view);
  check(before.diagram && before.diagram.zoom > 1.2, `zoomed in (${JSON.stringify(before.diagram)})`);
  await page.screenshot({ path: join(out, "serve-1-zoomed.png") });

  // An edit shows in the page.
  writeFileSync(model, `${original}\nexternal newcomer "Newcomer"\nflow newcomer -> order_api "Hello"\n`);
  const delay = await until(has, "newcomer");
  check(delay >= 0, "the edit shows in the page within 10 s");
  console.log(`edit -> page shows it: ${delay} ms`);
  const after = await page.evaluate(view);
  check(after.loaded !== before.loaded, "the page was reloaded");
  const near = (a, b, d) => Math.abs(a - b) <= d;
  check(after.diagram && near(after.diagram.zoom, before.diagram.zoom, 0.001), `zoom kept: ${JSON.stringify(before.diagram)} -> ${JSON.stringify(after.diagram)}`);
  check(after.diagram && near(after.diagram.left, before.diagram.left, 2) && near(after.diagram.top, before.diagram.top, 2), "pan kept");
  check(near(after.y, before.y, 2), `scroll kept: ${before.y} -> ${after.y}`);
  await page.screenshot({ path: join(out, "serve-2-edited.png") });

  // An edit that breaks the model: the overlay, over the last good diagram.
  writeFileSync(model, `${original}\nexternal newcomer "Newcomer"\nflow newcomer -> nowhere\n`);
  const broke = await until(() => {
    const b = document.getElementById("tmd-live");
    return !!b && !b.hidden && b.textContent.includes("TMD003");
  });
  check(broke >= 0, "the overlay shows the error within 10 s");
  console.log(`break -> overlay: ${broke} ms`);
  const text = await page.evaluate(() => document.querySelector("#tmd-live .tmd-live-text").textContent);
  check(text.includes("nowhere"), `the overlay names the error: ${text.slice(0, 200)}`);
  check(await page.evaluate(has, "newcomer"), "the last good diagram stays under the overlay");
  const box = await page.evaluate(() => {
    const r = document.getElementById("tmd-live").getBoundingClientRect();
    return { top: r.top, height: r.height, vh: window.innerHeight };
  });
  check(box.height > 40 && box.top > 0 && box.top + box.height <= box.vh + 1, `the overlay is on screen: ${JSON.stringify(box)}`);
  await page.screenshot({ path: join(out, "serve-3-error.png") });

  // Fixed: the diagram comes back, the overlay goes, the view is kept.
  const beforeFix = await page.evaluate(view);
  writeFileSync(model, `${original}\nexternal fixer "Fixer"\nflow fixer -> order_api\n`);
  const fixed = await until(() => {
    const b = document.getElementById("tmd-live");
    return !!b && b.hidden && !!document.querySelector('svg.tmd-diagram-svg [data-tmd-id="fixer"]');
  });
  check(fixed >= 0, "the fixed diagram shows within 10 s");
  console.log(`fix -> diagram: ${fixed} ms`);
  check(!(await page.evaluate(has, "newcomer")), "the fixed diagram is the new one");
  const afterFix = await page.evaluate(view);
  check(afterFix.diagram && near(afterFix.diagram.zoom, beforeFix.diagram.zoom, 0.001), "zoom kept after the fix");
  await page.screenshot({ path: join(out, "serve-4-fixed.png") });

  // Only its own paths and GET.
  listening = false;
  for (const path of ["m.tmd", "etc/passwd", "..%2fCargo.toml", "events/x", "index.html"]) {
    const r = await page.request.get(url + path);
    check(r.status() === 404, `GET /${path} is refused (${r.status()})`);
  }
  const post = await page.request.post(url, { data: "x" });
  check(post.status() === 405, `POST / is refused (${post.status()})`);
  const fromPage = await page.evaluate(async () => (await fetch("/m.tmd")).status);
  check(fromPage === 404, `fetch("/m.tmd") from the page is refused (${fromPage})`);
} catch (e) {
  check(false, `exception: ${e.stack || e}`);
} finally {
  writeFileSync(model, original);
  await browser.close();
}
for (const p of problems) check(false, p);
if (failures) {
  console.log(`${failures} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`tmd serve in Chromium: ${checks} checks passed`);
