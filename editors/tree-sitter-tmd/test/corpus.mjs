// Builds test/corpus/samples.txt and test/corpus/fixtures.txt from the
// repository's samples and valid fixtures: one corpus entry per file.
// An entry whose input is unchanged keeps its expected tree; a new or
// changed one gets none, to be filled by `tree-sitter test --update` and
// reviewed. With --check, writes nothing and exits 1 when the corpus's
// inputs are not the files' (a sample changed since).
//
//   node test/corpus.mjs [--check]
//
// Files with CR or a byte-order mark are left out (tree-sitter's corpus
// format is LF text); tests/tree_sitter.rs parses them directly.

import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "../../..");
const check = process.argv.includes("--check");
const BAR = "=".repeat(80);
const DASH = "-".repeat(80);

function parseCorpus(text) {
  const entries = new Map();
  const re = new RegExp(`^${BAR}\\n(.*)\\n${BAR}\\n\\n([\\s\\S]*?)\\n${DASH}\\n\\n([\\s\\S]*?)(?=\\n${BAR}\\n|(?![\\s\\S]))`, "gm");
  for (const m of text.matchAll(re)) entries.set(m[1], { input: m[2], output: m[3].trim() });
  return entries;
}

let stale = 0;
for (const [corpus, dir] of [["samples.txt", "samples"], ["fixtures.txt", "tests/fixtures/valid"]]) {
  const path = join(here, "corpus", corpus);
  const old = existsSync(path) ? parseCorpus(readFileSync(path, "utf8")) : new Map();
  const files = readdirSync(join(repo, dir)).filter((f) => f.endsWith(".tmd")).sort();
  let out = "";
  const names = [];
  for (const f of files) {
    const text = readFileSync(join(repo, dir, f), "utf8");
    if (text.includes("\r") || text.startsWith("\uFEFF")) continue;
    const name = `${dir}/${f}`;
    names.push(name);
    const input = text.replace(/\n+$/, "");
    const before = old.get(name);
    if (!before || before.input !== input) {
      stale += 1;
      if (check) console.log(`stale: ${name} in test/corpus/${corpus}`);
    }
    const output = before && before.input === input ? before.output : "";
    out += `${BAR}\n${name}\n${BAR}\n\n${input}\n${DASH}\n\n${output}\n\n`;
  }
  for (const name of old.keys()) {
    if (!names.includes(name)) {
      stale += 1;
      if (check) console.log(`gone: ${name} in test/corpus/${corpus}`);
    }
  }
  if (!check) writeFileSync(path, out.replace(/\n+$/, "\n"));
}
if (check && stale) process.exit(1);
console.log(check ? "corpus inputs are the current files" : `corpus written (${stale} entries new or changed: run tree-sitter test --update and review)`);
