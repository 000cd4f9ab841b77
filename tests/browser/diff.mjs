// Opens the pages `tmd diff OLD NEW --html OUT` writes in headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core), with their own
// Content-Security-Policy, and checks them:
//
//   node diff.mjs DIR
//
// DIR/manifest.json lists the pages: {"file", "kind": "page" | "hostile",
// "texts": [...]}. For a page: no CSP violation, no script error, no
// request; the three views switch with the buttons (aria-pressed follows)
// and with the keyboard; the slider moves the line, with the keys and the
// mouse; without JavaScript every view is shown. For a hostile page: the
// model's strings appear as text, nothing of them became markup, no
// dialog opened. Screenshots (light, dark, print, each view) go to
// DIR/screenshots; with TMD_DIFF_SCREENSHOT=FILE the first page's
// "changes" view in light mode is also written there (docs/images).
// Exit 0 when every check passes; 3 (after "SKIPPED: ...") when Chromium
// or playwright-core is missing; 1 on a failed check.

import { existsSync, readFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = process.env.TMD_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

function skip(why) {
  console.log("=".repeat(72));
  console.log(`SKIPPED: diff browser test: ${why}`);
  console.log("=".repeat(72));
  process.exit(3);
}

const dirArg = process.argv[2];
if (!dirArg) {
  console.log("usage: node diff.mjs DIR");
  process.exit(2);
}
const dir = resolve(dirArg);
const shots = join(dir, "screenshots");
mkdirSync(shots, { recursive: true });
if (!existsSync(CHROMIUM)) skip(`no Chromium at ${CHROMIUM} (run tests/browser/setup.sh)`);
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  skip("playwright-core is not installed (npm ci in tests/browser)");
}
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

let failures = 0;
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (!ok) {
    failures += 1;
    console.log(`  FAIL ${what}`);
  }
}

async function open(browser, url, options) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, reducedMotion: "reduce", ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => { if (r.url().split("#")[0] !== url.split("#")[0]) problems.push(`request: ${r.url()}`); });
  page.on("dialog", (d) => { problems.push(`a script of the input ran: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.goto(url, { waitUntil: "load" });
  return { context, page, problems };
}

// Which views are shown, and the buttons' aria-pressed.
function state(page) {
  return page.evaluate(() => {
    const shown = {};
    for (const v of document.querySelectorAll(".view[data-view]")) {
      const box = v.getBoundingClientRect();
      shown[v.dataset.view] = getComputedStyle(v).display !== "none" && box.height > 0;
    }
    const pressed = {};
    for (const b of document.querySelectorAll("[data-view-button]")) pressed[b.dataset.viewButton] = b.getAttribute("aria-pressed");
    return { shown, pressed };
  });
}

function only(s, name) {
  return Object.entries(s.shown).every(([k, v]) => v === (k === name))
    && Object.entries(s.pressed).every(([k, v]) => v === (k === name ? "true" : "false"));
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
try {
  let first = true;
  for (const entry of manifest) {
    const url = pathToFileURL(join(dir, entry.file)).href;
    const stem = entry.file.replace(/\W+/g, "-");
    console.log(`${entry.file} (${entry.kind})`);
    const { context, page, problems } = await open(browser, url);
    check(await page.evaluate(() => document.documentElement.classList.contains("js")), `${entry.file}: the script ran under the page's policy`);
    check(await page.evaluate(() => document.querySelectorAll("script").length === 1), `${entry.file}: one script`);
    check(await page.evaluate(() => document.querySelectorAll("svg.tmd-diagram-svg").length === 5), `${entry.file}: five diagrams`);
    const body = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, " ");
    for (const t of entry.texts || []) check(body.includes(t.replace(/\s+/g, " ")), `${entry.file}: says ${JSON.stringify(t).slice(0, 80)}`);

    if (entry.kind === "hostile") {
      // The details hold every string: open them so innerText sees them.
      const audit = await page.evaluate(() => {
        const found = [];
        for (const el of document.querySelectorAll("*")) {
          const name = el.localName.toLowerCase();
          if (["iframe", "object", "embed", "foreignobject", "image", "img", "audio", "video", "link", "base", "form", "b", "a"].includes(name)) found.push(`element <${name}>`);
          for (const a of el.attributes) {
            if (a.name.toLowerCase().startsWith("on")) found.push(`handler ${a.name} on <${name}>`);
            if (/href$/i.test(a.name) && !a.value.startsWith("#")) found.push(`${a.name}="${a.value.slice(0, 40)}" on <${name}>`);
          }
        }
        return { found, pwned: Boolean(window.__tmd_pwned) };
      });
      for (const f of audit.found) check(false, `${entry.file}: ${f}`);
      check(!audit.pwned, `${entry.file}: nothing ran`);
      for (const name of ["side", "overlay", "changes"]) {
        await page.locator(`[data-view-button="${name}"]`).click();
        await page.screenshot({ path: join(shots, `${stem}-${name}.png`) });
      }
      for (const p of problems) check(false, `${entry.file}: ${p}`);
      await context.close();
      continue;
    }

    // The switch: shown with the script, side by side first.
    check(await page.locator(".view-switch").isVisible(), `${entry.file}: the view switch is shown`);
    let s = await state(page);
    check(only(s, "side"), `${entry.file}: side by side first (${JSON.stringify(s)})`);
    await page.screenshot({ path: join(shots, `${stem}-light-side.png`), fullPage: true });
    await page.locator('[data-view-button="changes"]').click();
    s = await state(page);
    check(only(s, "changes"), `${entry.file}: "Changes" shows the union (${JSON.stringify(s)})`);
    await page.screenshot({ path: join(shots, `${stem}-light-changes.png`), fullPage: true });
    if (first && process.env.TMD_DIFF_SCREENSHOT) {
      // For docs/review.md: the top of the page, side by side.
      await page.locator('[data-view-button="side"]').click();
      await page.setViewportSize({ width: 1200, height: 1500 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: process.env.TMD_DIFF_SCREENSHOT, fullPage: false });
      await page.setViewportSize({ width: 1360, height: 900 });
      await page.locator('[data-view-button="changes"]').click();
    }
    await page.locator('[data-view-button="overlay"]').click();
    s = await state(page);
    check(only(s, "overlay"), `${entry.file}: the slider view (${JSON.stringify(s)})`);

    // The slider: the after layer is cut where the slider says.
    const cut = () => page.evaluate(() => ({
      clip: document.getElementById("overlay-after").style.clipPath,
      value: document.getElementById("overlay-position").value,
      said: document.getElementById("overlay-value").textContent,
      line: document.getElementById("overlay-line").style.left,
    }));
    let c = await cut();
    check(c.clip === "inset(0px 0px 0px 50%)" && c.line === "50%", `${entry.file}: the slider starts half way (${JSON.stringify(c)})`);
    await page.evaluate(() => document.getElementById("overlay-stack").scrollIntoView({ block: "start" }));
    const box = await page.locator("#overlay-stack").boundingBox();
    await page.mouse.click(box.x + box.width * 0.25, box.y + Math.min(box.height / 2, 200));
    c = await cut();
    check(Math.abs(Number(c.value) - 25) <= 1 && c.clip === `inset(0px 0px 0px ${c.value}%)`, `${entry.file}: a click on the pictures moves the line (${JSON.stringify(c)})`);
    await page.screenshot({ path: join(shots, `${stem}-light-overlay.png`), fullPage: true });

    // Keyboard only: Tab to the buttons, Enter and Space press them;
    // the arrow keys move the slider.
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
    let reached = null;
    for (let i = 0; i < 40 && !reached; i += 1) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute("data-view-button"));
    }
    check(reached === "side", `${entry.file}: Tab reaches the first view button (${reached})`);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    s = await state(page);
    check(only(s, "changes"), `${entry.file}: Enter on "Changes" (${JSON.stringify(s)})`);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Space");
    s = await state(page);
    check(only(s, "overlay"), `${entry.file}: Space on "Before/after slider" (${JSON.stringify(s)})`);
    let onSlider = false;
    for (let i = 0; i < 10 && !onSlider; i += 1) {
      await page.keyboard.press("Tab");
      onSlider = await page.evaluate(() => document.activeElement && document.activeElement.id === "overlay-position");
    }
    check(onSlider, `${entry.file}: Tab reaches the slider`);
    const before = Number((await cut()).value);
    for (let i = 0; i < 5; i += 1) await page.keyboard.press("ArrowRight");
    c = await cut();
    check(Number(c.value) === before + 5 && c.clip === `inset(0px 0px 0px ${before + 5}%)` && c.said === `${before + 5}% before, ${95 - before}% after`,
      `${entry.file}: the arrow keys move the slider (${JSON.stringify(c)})`);
    check(await page.evaluate(() => document.getElementById("overlay-position").getAttribute("aria-valuetext")) === c.said, `${entry.file}: the slider's value is said`);

    // The details are folded, and open.
    check(!(await page.locator("#details pre").isVisible()), `${entry.file}: the details are folded`);
    await page.locator("#details summary").click();
    check(await page.locator("#details pre").isVisible(), `${entry.file}: the details open`);

    // Dark mode and print.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.locator('[data-view-button="side"]').click();
    await page.screenshot({ path: join(shots, `${stem}-dark-side.png`), fullPage: true });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(dark !== "rgb(255, 255, 255)", `${entry.file}: dark mode (${dark})`);
    await page.emulateMedia({ colorScheme: "light", media: "print" });
    s = await state(page);
    check(Object.values(s.shown).every(Boolean), `${entry.file}: print shows every view (${JSON.stringify(s)})`);
    check(!(await page.locator(".view-switch").isVisible()), `${entry.file}: print hides the switch`);
    await page.screenshot({ path: join(shots, `${stem}-print.png`), fullPage: true });
    for (const p of problems) check(false, `${entry.file}: ${p}`);
    await context.close();

    // Without JavaScript: every view, one after the other; no switch.
    const nojs = await open(browser, url, { javaScriptEnabled: false });
    s = await state(nojs.page);
    check(Object.values(s.shown).length === 3 && Object.values(s.shown).every(Boolean), `${entry.file}: without JavaScript every view is shown (${JSON.stringify(s)})`);
    check(!(await nojs.page.locator(".view-switch").isVisible()) && !(await nojs.page.locator(".slider").isVisible()), `${entry.file}: without JavaScript no switch and no slider`);
    await nojs.page.screenshot({ path: join(shots, `${stem}-nojs.png`), fullPage: true });
    for (const p of nojs.problems) check(false, `${entry.file} (no JavaScript): ${p}`);
    await nojs.context.close();

    // A link to a view opens it.
    const linked = await open(browser, url + "#changes");
    s = await state(linked.page);
    check(only(s, "changes"), `${entry.file}#changes opens that view (${JSON.stringify(s)})`);
    await linked.context.close();
    first = false;
  }
} finally {
  await browser.close();
}
console.log(`${checks} checks, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
