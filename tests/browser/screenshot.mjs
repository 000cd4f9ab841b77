// Takes a PNG of a local HTML page in headless Chromium.
//
//   node screenshot.mjs PAGE.html OUT.png [WIDTH HEIGHT]
//
// Used by tests/vscode.rs for the TextMate grammar's colours on a sample.
// Exit 3 (after "SKIPPED: ...") when Chromium or playwright-core is missing.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = process.env.TMD_CHROMIUM || "/usr/bin/chromium";
const [input, output, width = "1100", height = "1400"] = process.argv.slice(2);
if (!existsSync(CHROMIUM)) {
  console.log(`SKIPPED: screenshot: no Chromium at ${CHROMIUM}`);
  process.exit(3);
}
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  console.log("SKIPPED: screenshot: playwright-core is not installed (run tests/browser/setup.sh)");
  process.exit(3);
}
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60000,
});
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
await page.goto(pathToFileURL(resolve(input)).href);
await page.screenshot({ path: output });
await browser.close();
console.log(`screenshot: ${output}`);
