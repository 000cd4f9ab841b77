// Tokenizes .tmd files with the extension's TextMate grammar, as VS Code
// does (vscode-textmate on the Oniguruma WASM of vscode-oniguruma), and
// compares every token's scopes against the golden file checked in.
//
//   node test/tokenize.mjs [--bless] [--html OUT.html] FILE...
//
// The golden of `x.tmd` is `test/golden/x.tmd.tokens`: one line of the
// source per block, then one line per token: its text (JSON-quoted) and
// its scopes (without the root `source.tmd`). --bless writes the goldens
// instead (review the diff before committing). --html writes every file
// coloured by its scopes (a dark theme's colours) for a screenshot.
// Exit 0 when every file matches, 1 otherwise.

import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const args = process.argv.slice(2);
const bless = args.includes("--bless");
const htmlAt = args.indexOf("--html");
const htmlOut = htmlAt >= 0 ? args[htmlAt + 1] : null;
const files = args.filter((a, i) => !a.startsWith("--") && !(htmlAt >= 0 && i === htmlAt + 1));

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
await oniguruma.loadWASM(wasm);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scopeName) => {
    if (scopeName !== "source.tmd") return null;
    const path = join(root, "syntaxes/tmd.tmLanguage.json");
    return vsctm.parseRawGrammar(readFileSync(path, "utf8"), path);
  },
});
const grammar = await registry.loadGrammar("source.tmd");

function tokenize(text) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let stack = vsctm.INITIAL;
  const out = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack);
    const tokens = r.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes.filter((s) => s !== "source.tmd"),
    }));
    out.push({ line, tokens });
    stack = r.ruleStack;
  }
  return out;
}

function golden(lines) {
  let s = "";
  for (const { line, tokens } of lines) {
    if (line.trim() === "") continue;
    s += `> ${line}\n`;
    for (const t of tokens) {
      if (t.text.trim() === "" && t.scopes.length === 0) continue;
      s += `  ${JSON.stringify(t.text)} ${t.scopes.join(" ") || "-"}\n`;
    }
  }
  return s;
}

const COLORS = [
  ["invalid", "#ff5370"],
  ["comment.line.number-sign.directive", "#c792ea"],
  ["constant.other.diagnostic-code", "#ffcb6b"],
  ["comment", "#7f8c98"],
  ["constant.character.escape", "#89ddff"],
  ["string", "#c3e88d"],
  ["keyword.operator", "#89ddff"],
  ["keyword", "#c792ea"],
  ["storage.type", "#c792ea"],
  ["entity.name.type", "#ffcb6b"],
  ["entity.name.namespace", "#f78c6c"],
  ["entity.name.function", "#82aaff"],
  ["entity.name.class", "#ffcb6b"],
  ["entity.name.tag", "#f07178"],
  ["variable.other.property", "#80cbc4"],
  ["variable", "#eeffff"],
  ["constant.language.stride", "#ff9cac"],
  ["constant", "#f78c6c"],
  ["punctuation", "#89ddff"],
];
function color(scopes) {
  for (let i = scopes.length - 1; i >= 0; i -= 1) {
    for (const [prefix, c] of COLORS) {
      if (scopes[i] === prefix || scopes[i].startsWith(prefix + ".")) return c;
    }
  }
  return "#d0d8e0";
}
const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

let failed = 0;
let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{background:#1e2227;color:#d0d8e0;font:14px/1.45 \"DejaVu Sans Mono\",monospace;margin:16px}h1{font:600 15px sans-serif;color:#9aa4ae}pre{margin:0 0 24px}</style></head><body>";
for (const file of files) {
  const lines = tokenize(readFileSync(file, "utf8"));
  const text = golden(lines);
  const goldenPath = join(here, "golden", `${basename(file)}.tokens`);
  if (bless) {
    mkdirSync(dirname(goldenPath), { recursive: true });
    writeFileSync(goldenPath, text);
  } else if (!existsSync(goldenPath)) {
    failed += 1;
    console.log(`FAIL ${file}: no golden ${goldenPath} (run with --bless, then review it)`);
  } else {
    const want = readFileSync(goldenPath, "utf8");
    if (want !== text) {
      failed += 1;
      const a = want.split("\n");
      const b = text.split("\n");
      const at = a.findIndex((l, i) => l !== b[i]);
      console.log(`FAIL ${file}: differs from ${goldenPath} at line ${at + 1}:\n  golden: ${a[at]}\n  now:    ${b[at]}`);
    }
  }
  if (htmlOut) {
    html += `<h1>${esc(basename(file))}</h1><pre>`;
    for (const { tokens } of lines) {
      for (const t of tokens) html += `<span style="color:${color(t.scopes)}" title="${esc(t.scopes.join(" "))}">${esc(t.text)}</span>`;
      html += "\n";
    }
    html += "</pre>";
  }
}
if (htmlOut) writeFileSync(htmlOut, html + "</body></html>\n");
console.log(`${files.length} files tokenized, ${failed} differ from their golden`);
process.exit(failed ? 1 : 0);
