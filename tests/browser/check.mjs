// Opens tmd's HTML reports in headless Chromium and clicks through them.
//
//   node check.mjs DIR
//
// DIR holds the reports and `manifest.json` (written by tests/browser.rs):
// [{ "file": "x.html", "kind": "report" | "table", "elements": [...],
//    "boundaries": [...], "flows": [flows with threats],
//    "threats": [...], "click_element": "id", "click_threat": "id" }].
// Entries of kind "hostile" (a report, table or SVG of a model from
// tests/hostile) are only audited: no dialog opens (every hostile string
// calls alert()), no script but ours, no handler attribute, no element
// that loads or embeds anything, no request.
// Screenshots go to DIR/screenshots. Exit 0 when every check passes;
// exit 3 (after printing "SKIPPED: ...") when Chromium or playwright-core
// is missing; exit 1 on a failed check.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = process.env.TMD_CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function skip(why) {
  console.log("=".repeat(72));
  console.log(`SKIPPED: browser test: ${why}`);
  console.log("=".repeat(72));
  process.exit(3);
}

const dir = resolve(process.argv[2] || ".");
if (!existsSync(CHROMIUM)) skip(`no Chromium at ${CHROMIUM} (apt-get install chromium, or run tests/browser/setup.sh)`);
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  skip("playwright-core is not installed (run tests/browser/setup.sh, or npm ci in tests/browser)");
}

const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
const shots = join(dir, "screenshots");
mkdirSync(shots, { recursive: true });

// Screenshots: the whole page when it is short (or TMD_FULL_SCREENSHOTS is
// set: a 40,000-pixel page takes half a minute), else one screen at the
// top of each section.
async function tour(page, stem, scheme) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height <= 8000 || process.env.TMD_FULL_SCREENSHOTS) {
    await page.screenshot({ path: join(shots, `${stem}-${scheme}.png`), fullPage: true, timeout: 180000 });
    return;
  }
  const ids = await page.evaluate(() => Array.from(document.querySelectorAll("main > section[id]")).map((s) => s.id));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${stem}-${scheme}-0-top.png`) });
  let n = 1;
  for (const id of ids) {
    await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: "start" }), id);
    await page.screenshot({ path: join(shots, `${stem}-${scheme}-${n}-${id}.png`) });
    n += 1;
  }
  await page.evaluate(() => window.scrollTo(0, 0));
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

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60000 });
try {
  for (const entry of manifest) {
    const url = pathToFileURL(join(dir, entry.file)).href;
    entry.boundaries = entry.boundaries || [];
    entry.flows = entry.flows || [];
    entry.elements = entry.elements || [];
    entry.threats = entry.threats || [];
    console.log(`${entry.file} (${entry.kind}): ${entry.elements.length} elements, ${entry.boundaries.length} boundaries, ${entry.flows.length} flows with threats, ${entry.threats.length} threats`);
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, reducedMotion: "reduce" });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => { if (r.url() !== url) problems.push(`request: ${r.url()}`); });
    page.on("dialog", (d) => { problems.push(`a script of the input ran: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
    await page.goto(url, { waitUntil: "load" });

    if (entry.kind === "hostile") {
      await page.waitForTimeout(300);
      const audit = await page.evaluate(() => {
        const found = [];
        for (const el of document.querySelectorAll("*")) {
          const name = el.localName;
          if (["iframe", "object", "embed", "foreignobject", "image", "img", "audio", "video", "link", "base", "form"].includes(name.toLowerCase())) found.push(`element <${name}>`);
          if (name === "script" && el.getAttribute("src") !== null) found.push("a script with src");
          for (const a of el.attributes) {
            if (a.name.toLowerCase().startsWith("on")) found.push(`handler ${a.name} on <${name}>`);
            if (/href$/i.test(a.name) && !a.value.startsWith("#")) found.push(`${a.name}="${a.value.slice(0, 40)}" on <${name}>`);
          }
        }
        return { found, scripts: document.querySelectorAll("script").length, title: document.title };
      });
      for (const f of audit.found) check(false, `${entry.file}: ${f}`);
      check(audit.scripts === entry.scripts, `${entry.file}: ${audit.scripts} script element(s), ${entry.scripts} expected`);
      if (entry.file.endsWith(".html")) {
        check(await page.evaluate(() => document.documentElement.classList.contains("js")), `${entry.file}: our script ran`);
      }
      await page.screenshot({ path: join(shots, `${entry.file.replace(/\W+/g, "-")}.png`) });
      for (const p of problems) check(false, `${entry.file}: ${p}`);
      await context.close();
      continue;
    }

    check(await page.evaluate(() => document.documentElement.classList.contains("js")), "the script ran");
    const stem = entry.file.replace(/\.html$/, "");

    // Every threat has its row, every element its node and section.
    for (const id of entry.threats) {
      const n = await page.evaluate((id) => {
        const row = document.getElementById("th-" + id.replace(/[^A-Za-z0-9_.]/g, "."));
        return row && row.classList.contains("threat-row") ? 1 : 0;
      }, id);
      check(n === 1, `threat row for ${id}`);
    }
    if (entry.kind === "report") {
      for (const id of [...entry.elements, ...entry.boundaries, ...entry.flows]) {
        const found = await page.evaluate((id) => {
          const nodes = Array.from(document.querySelectorAll("svg.tmd-diagram-svg [data-tmd-id]"))
            .filter((g) => g.getAttribute("data-tmd-id") === id);
          const sections = Array.from(document.querySelectorAll("[data-subject]"))
            .filter((s) => s.getAttribute("data-subject") === id);
          return { nodes: nodes.length, sections: sections.length };
        }, id);
        check(found.nodes === 1, `diagram node for ${id} (found ${found.nodes})`);
        check(found.sections === 1, `section for ${id} (found ${found.sections})`);
      }
    }

    // Sections a report must show: visible, with their rows and texts
    // (user strings shown as text, never as markup).
    for (const want of entry.sections || []) {
      const section = page.locator(`section#${want.id}`);
      check((await section.count()) === 1 && (await section.isVisible()), `${entry.file}: section #${want.id} is shown`);
      const rows = await page.locator(`section#${want.id} tbody tr:not(.group)`).count();
      check(rows === want.rows, `${entry.file}: #${want.id} has ${rows} rows, ${want.rows} expected`);
      const text = (await section.innerText()).replace(/\s+/g, " ");
      for (const t of want.texts) check(text.includes(t), `${entry.file}: #${want.id} says "${t}"`);
      check((await page.locator(`section#${want.id} b`).count()) === 0, `${entry.file}: #${want.id} holds no markup from the model`);
    }

    await tour(page, stem, "light");

    // Filters: hide high, then show everything again.
    const total = await page.locator("tr.threat-row").count();
    const highs = await page.locator('tr.threat-row[data-severity="high"]').count();
    await page.locator('input[data-filter="severity"][value="high"]').uncheck();
    const visible = await page.locator("tr.threat-row:visible").count();
    check(visible === total - highs, `severity filter hides the ${highs} high threats (${visible} of ${total} visible)`);
    await page.locator('input[data-filter="status"][value="open"]').uncheck();
    const shown = await page.locator("tr.threat-row:visible").count();
    const expected = await page.evaluate(() => Array.from(document.querySelectorAll("tr.threat-row"))
      .filter((r) => r.dataset.severity !== "high" && r.dataset.status !== "open").length);
    check(shown === expected, `status filter (${shown} visible, ${expected} expected)`);
    const countText = await page.locator("#filter-count").textContent();
    check(countText.includes(`${shown} of ${total}`), `filter count says "${countText}"`);
    await page.locator("#filter-reset").click();
    check((await page.locator("tr.threat-row:visible").count()) === total, "reset shows every threat again");

    if (entry.kind === "report" && (await page.locator("svg.tmd-diagram-svg").count()) > 0) {
      // Zoom and pan: the drawing opens readable (no label under 9 px),
      // and the toolbar, Ctrl + wheel, the keys and dragging change the view.
      const view = () => page.evaluate(() => {
        const svg = document.querySelector(".diagram-frame svg.tmd-diagram-svg");
        const frame = svg.closest(".diagram-frame");
        const cs = getComputedStyle(frame);
        const natural = parseFloat(svg.getAttribute("width"));
        const scale = svg.getBoundingClientRect().width / natural;
        const sizes = Array.from(svg.querySelectorAll("text")).map((t) => parseFloat(t.getAttribute("font-size"))).filter((f) => f > 0);
        const tools = document.querySelector(".diagram-tools");
        const overview = document.querySelector(".diagram-overview");
        return {
          tools: !!tools && !tools.hidden && tools.getBoundingClientRect().height > 0,
          scale,
          minLabel: Math.min(...sizes) * scale,
          width: svg.getBoundingClientRect().width,
          inner: frame.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
          overview: !!overview && !overview.hidden,
          wide: svg.getBoundingClientRect().width > frame.clientWidth + 1,
          level: document.querySelector(".diagram-tools .zoom-level").textContent,
          left: frame.scrollLeft,
        };
      });
      await page.locator("#diagram").scrollIntoViewIfNeeded();
      let v = await view();
      check(v.tools, "the diagram has its zoom toolbar");
      check(v.minLabel >= 8.99, `the smallest label opens at ${v.minLabel.toFixed(2)} px (9 at least)`);
      check(!v.wide || v.overview, "a drawing wider than its frame opens with an overview");
      if (v.overview) {
        // The overview is the drawing itself, styled: its background is not black.
        const fill = await page.evaluate(() => getComputedStyle(document.querySelector(".diagram-overview svg .tmd-bg")).fill);
        check(fill !== "rgb(0, 0, 0)", `the overview draws with the diagram's styles (background ${fill})`);
      }
      await page.locator('.diagram-tools button[data-zoom="fit"]').click();
      v = await view();
      check(Math.abs(v.width - v.inner) <= 2, `fit to width fits (${v.width.toFixed(1)} of ${v.inner.toFixed(1)} px)`);
      check(!v.overview, "fitted, the overview is hidden");
      await page.locator('.diagram-tools button[data-zoom="one"]').click();
      v = await view();
      check(Math.abs(v.scale - 1) < 0.01 && v.level === "100%", `1:1 draws at actual size (${v.level})`);
      const box = await page.locator(".diagram-frame").boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
      await page.keyboard.down("Control");
      await page.mouse.wheel(0, -400);
      await page.keyboard.up("Control");
      await page.waitForTimeout(100);
      const zoomed = await view();
      check(zoomed.scale > v.scale * 1.2, `Ctrl + wheel zooms in (${v.scale.toFixed(2)} to ${zoomed.scale.toFixed(2)})`);
      await page.locator(".diagram-frame").focus();
      await page.keyboard.press("-");
      const out = await view();
      check(out.scale < zoomed.scale, `the - key zooms out (${out.scale.toFixed(2)})`);
      if (out.wide) {
        await page.mouse.move(box.x + box.width / 2, box.y + 60);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2 - 150, box.y + 60, { steps: 5 });
        await page.mouse.up();
        const panned = await view();
        check(panned.left > out.left + 100, `dragging pans the drawing (${out.left} to ${panned.left})`);
      }
      await page.screenshot({ path: join(shots, `${stem}-zoomed.png`) });
      await page.keyboard.press("0");
      v = await view();
      check(Math.abs(v.width - v.inner) <= 2, "the 0 key fits the width again");
      await page.evaluate(() => window.scrollTo(0, 0));
    }

    if (entry.kind === "report" && entry.click_element) {
      // Click an element in the diagram: its section is selected and in view, its threats marked.
      const id = entry.click_element;
      await page.locator(`svg.tmd-diagram-svg [data-tmd-id="${id}"]`).first().click();
      await page.waitForTimeout(900);
      const state = await page.evaluate((id) => {
        const s = Array.from(document.querySelectorAll("[data-subject]")).find((x) => x.getAttribute("data-subject") === id);
        const r = s ? s.getBoundingClientRect() : null;
        const targetsOf = (x) => (x.dataset.targets || "").split(" ");
        const related = Array.from(document.querySelectorAll("tr.threat-row.is-related")).map(targetsOf);
        return {
          selected: !!s && s.classList.contains("is-selected"),
          inView: !!r && r.top >= 0 && r.top < window.innerHeight,
          related,
          expected: Array.from(document.querySelectorAll("tr.threat-row")).filter((x) => targetsOf(x).includes(id)).length,
          sectionThreats: s ? s.querySelectorAll("tr.section-threat").length : -1,
        };
      }, id);
      check(state.selected, `clicking ${id} in the diagram selects its section`);
      check(state.inView, `clicking ${id} scrolls its section into view`);
      check(state.related.length === state.expected && state.related.every((t) => t.includes(id)), `clicking ${id} marks its ${state.expected} threat rows (marked ${state.related.length})`);
      check(state.sectionThreats === state.expected, `the section of ${id} lists its threats (${state.sectionThreats})`);
      const focus = await page.evaluate((id) => {
        const svg = document.querySelector("svg.tmd-diagram-svg");
        const flows = Array.from(svg.querySelectorAll("g.tmd-flow"));
        const near = new Set([id]);
        flows.forEach((g) => {
          if (g.dataset.tmdSource === id || g.dataset.tmdTarget === id) { near.add(g.dataset.tmdId); near.add(g.dataset.tmdSource); near.add(g.dataset.tmdTarget); }
        });
        const opacity = (g) => parseFloat(getComputedStyle(g).opacity);
        const groups = Array.from(svg.querySelectorAll("[data-tmd-id]"));
        const lit = groups.filter((g) => near.has(g.getAttribute("data-tmd-id")));
        const dim = groups.filter((g) => !near.has(g.getAttribute("data-tmd-id")) && !g.classList.contains("tmd-boundary"));
        return {
          focusing: svg.classList.contains("tmd-focusing"),
          lit: lit.every((g) => opacity(g) === 1),
          dim: dim.every((g) => opacity(g) < 0.5),
          dimCount: dim.length,
        };
      }, id);
      check(focus.focusing && focus.lit, `clicking ${id} keeps its flows and neighbours lit`);
      check(focus.dim, `clicking ${id} dims the ${focus.dimCount} elements and flows that are not its neighbours`);
      await page.screenshot({ path: join(shots, `${stem}-clicked-element.png`) });

      // Click a threat's component link: its element is highlighted in the diagram, in view.
      const tid = entry.click_threat;
      const rowId = "th-" + tid.replace(/[^A-Za-z0-9_.]/g, ".");
      await page.locator(`[id="${rowId}"] a.target-link`).click();
      await page.waitForTimeout(900);
      const hl = await page.evaluate((rowId) => {
        const row = document.getElementById(rowId);
        const target = row.dataset.target;
        const nodes = Array.from(document.querySelectorAll("svg.tmd-diagram-svg [data-tmd-id]")).filter((g) => g.getAttribute("data-tmd-id") === target);
        const box = document.querySelector("svg.tmd-diagram-svg .tmd-hl-box");
        const r = box ? box.getBoundingClientRect() : null;
        return {
          target,
          selected: nodes.length > 0 && nodes.every((g) => g.classList.contains("tmd-selected")),
          inView: !!r && r.bottom > 0 && r.top < window.innerHeight && r.width > 0,
          rowMarked: row.classList.contains("is-related"),
          readable: (() => {
            const svg = document.querySelector(".diagram-frame svg.tmd-diagram-svg");
            const scale = svg.getBoundingClientRect().width / parseFloat(svg.getAttribute("width"));
            const sizes = Array.from(svg.querySelectorAll("text")).map((t) => parseFloat(t.getAttribute("font-size"))).filter((f) => f > 0);
            return Math.min(...sizes) * scale >= 8.99;
          })(),
        };
      }, rowId);
      check(hl.selected, `threat ${tid} highlights ${hl.target} in the diagram`);
      check(hl.inView, `threat ${tid}: the highlight is in view`);
      check(hl.rowMarked, `threat ${tid}: its row stays marked`);
      check(hl.readable, `threat ${tid}: the diagram zooms to a readable size to show it`);
      await page.screenshot({ path: join(shots, `${stem}-clicked-threat.png`) });
    }

    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => window.scrollTo(0, 0));
    await tour(page, stem, "dark");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(bg !== "rgb(255, 255, 255)", `dark mode changes the background (${bg})`);
    if (entry.kind === "report" && (await page.locator(".diagram-tools button").count()) > 0) {
      const button = await page.evaluate(() => getComputedStyle(document.querySelector(".diagram-tools button")).backgroundColor);
      check(button !== "rgb(255, 255, 255)", `dark mode: the zoom buttons follow the scheme (${button})`);
    }
    await page.emulateMedia({ colorScheme: "light", media: "print" });
    const barHidden = await page.evaluate(() => getComputedStyle(document.querySelector(".filters")).display === "none");
    check(barHidden, "print hides the filter bar");
    if (entry.kind === "report" && (await page.locator(".diagram-tools").count()) > 0) {
      const printed = await page.evaluate(() => {
        const svg = document.querySelector(".diagram-frame svg.tmd-diagram-svg");
        const lit = Array.from(svg.querySelectorAll("[data-tmd-id]")).every((g) => getComputedStyle(g).opacity === "1");
        return { tools: getComputedStyle(document.querySelector(".diagram-tools")).display === "none", lit };
      });
      check(printed.tools, "print hides the zoom toolbar");
      check(printed.lit, "print draws the whole diagram undimmed");
    }
    await page.screenshot({ path: join(shots, `${stem}-print.png`) });
    if ((await page.evaluate(() => document.documentElement.scrollHeight)) <= 8000) {
      const pdf = await page.pdf({ path: join(shots, `${stem}.pdf`), format: "A4", printBackground: true,
        margin: { top: "15mm", bottom: "15mm", left: "12mm", right: "12mm" } });
      check(pdf.length > 10000, `prints to PDF (${pdf.length} bytes)`);
    }

    for (const p of problems) check(false, p);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`browser checks: ${checks - failures} passed, ${failures} failed; screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
