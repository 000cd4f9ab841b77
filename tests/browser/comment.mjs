// Renders a pull-request comment written by `tmd diff --comment` as a
// Markdown page with Mermaid, the way GitHub shows it: GitHub-flavoured
// Markdown by `marked`, then every ```mermaid block drawn by the pinned
// Mermaid release GitHub is known to render with (strict security), in
// headless Chromium.
//
//   node comment.mjs COMMENT.md OUT_DIR
//
// Checks: every Mermaid block renders to an SVG, the tables and folded
// details are there, no dialog opens, no script runs, nothing is loaded.
// Writes OUT_DIR/comment.html and a full-page screenshot
// OUT_DIR/comment.png to look at. Exit 0 when every check passes; 3
// (after "SKIPPED: ...") when Chromium or a package is missing; 1 on a
// failed check.

import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const CHROMIUM = process.env.TMD_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

function skip(why) {
  console.log("=".repeat(72));
  console.log(`SKIPPED: comment browser test: ${why}`);
  console.log("=".repeat(72));
  process.exit(3);
}

const [file, outArg] = process.argv.slice(2);
if (!file || !outArg) {
  console.log("usage: node comment.mjs COMMENT.md OUT_DIR");
  process.exit(2);
}
const out = resolve(outArg);
mkdirSync(out, { recursive: true });
if (!existsSync(CHROMIUM)) skip(`no Chromium at ${CHROMIUM} (run tests/browser/setup.sh)`);
let chromium, marked;
try {
  ({ chromium } = await import("playwright-core"));
  ({ marked } = await import("marked"));
} catch (e) {
  skip("playwright-core or marked is not installed (npm ci in tests/browser)");
}
const require = createRequire(import.meta.url);
let mermaidJs;
try {
  mermaidJs = join(require.resolve("mermaid/package.json"), "..", "dist", "mermaid.min.js");
} catch (e) {
  skip("mermaid is not installed (npm ci in tests/browser)");
}

const markdown = readFileSync(file, "utf8");
const body = marked.parse(markdown, { gfm: true });
const css = `
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 900px; margin: 24px auto; padding: 16px 24px; border: 1px solid #d0d7de; border-radius: 6px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #d0d7de; padding: 4px 10px; }
code { background: #eff1f3; padding: 1px 4px; border-radius: 4px; font-size: 85%; }
pre { background: #f6f8fa; padding: 12px; overflow: auto; } h2, h3 { border-bottom: 1px solid #d8dee4; padding-bottom: 4px; }
.mermaid-out { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; margin: 8px 0; }
.mermaid-out svg { max-width: 100%; height: auto; }`;
const html = `<!doctype html><meta charset=utf-8><title>comment</title><style>${css}</style><body>${body}</body>`;
const page_file = join(out, "comment.html");
writeFileSync(page_file, html);

let failures = 0;
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (!ok) {
    failures += 1;
    console.log(`  FAIL ${what}`);
  }
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  const requests = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith("file:") && !url.startsWith("data:")) requests.push(url);
  });
  await page.goto(pathToFileURL(page_file).href);
  await page.addScriptTag({ path: mermaidJs });
  const result = await page.evaluate(async () => {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
    const blocks = [...document.querySelectorAll("pre > code.language-mermaid")];
    const errors = [];
    let n = 0;
    for (const code of blocks) {
      n += 1;
      try {
        const { svg } = await window.mermaid.render(`c${n}`, code.textContent);
        const div = document.createElement("div");
        div.className = "mermaid-out";
        div.innerHTML = svg;
        code.parentNode.replaceWith(div);
      } catch (e) {
        errors.push(String(e && e.message ? e.message : e));
      }
    }
    for (const d of document.querySelectorAll("details")) d.open = true;
    return {
      blocks: blocks.length,
      svgs: document.querySelectorAll(".mermaid-out svg").length,
      nodes: document.querySelectorAll(".mermaid-out g.node").length,
      errors,
      tables: document.querySelectorAll("table").length,
      details: document.querySelectorAll("details").length,
      marker: document.body.innerHTML.includes("<!-- tmd-diff-comment -->"),
      pwned: Boolean(window.__tmd_pwned),
      scripts: document.querySelectorAll("body script").length,
    };
  });
  check(result.blocks > 0, `the comment has Mermaid blocks (${result.blocks})`);
  check(result.errors.length === 0, `every Mermaid block renders (${result.errors.join("; ")})`);
  check(result.svgs === result.blocks, `${result.blocks} diagrams drawn (found ${result.svgs})`);
  check(result.nodes > 0, `the diagrams have nodes (${result.nodes})`);
  check(result.tables > 0, `tables render (${result.tables})`);
  // Unless the comment had to leave them out, and says so.
  const cut = markdown.includes("The details are too long for a comment");
  check(result.details > 0 || cut, `details are folded blocks (${result.details})`);
  check(result.marker, "the hidden marker stays a comment");
  check(!result.pwned && result.scripts === 0, "no script ran or was added");
  await page.screenshot({ path: join(out, "comment.png"), fullPage: true });
  check(dialogs === 0, `no dialog opened (${dialogs})`);
  check(requests.length === 0, `no request (${requests.join(", ")})`);
  await context.close();
  console.log(`comment: ${result.blocks} diagrams, ${result.tables} tables, ${result.details} details; screenshot ${join(out, "comment.png")}`);
} finally {
  await browser.close();
}
if (failures > 0) {
  console.log(`${failures} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`${checks} checks passed`);
