// The extension's own code under a stand-in for VS Code's API (VS Code
// cannot be installed here): activation starts `tmd lsp` for tmd files,
// and "tmd: Open live preview" runs the real `tmd serve` on the model and
// opens the URL it prints, which serves the report; a second run reuses
// the server; deactivation stops it.
//
//   node test/preview.cjs TMD MODEL
//
// Exit 0 when every check passes, 1 otherwise.
"use strict";
const Module = require("module");
const assert = require("assert");
const path = require("path");

const [tmd, modelArg] = process.argv.slice(2);
const model = path.resolve(modelArg);
const shown = [];
const errors = [];
const commands = {};
const clients = [];

const vscode = {
  workspace: {
    getConfiguration: () => ({ get: (key) => (key === "path" ? tmd : "") }),
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
  },
  window: {
    activeTextEditor: {
      document: { languageId: "tmd", isUntitled: false, uri: { fsPath: model }, save: async () => true },
    },
    createOutputChannel: () => ({ append() {}, appendLine() {}, dispose() {} }),
    showInformationMessage: (m) => errors.push(m),
    showErrorMessage: (m) => errors.push(m),
  },
  commands: {
    registerCommand: (id, fn) => {
      commands[id] = fn;
      return { dispose() {} };
    },
    executeCommand: async (id, arg) => {
      assert.strictEqual(id, "simpleBrowser.show");
      shown.push(arg);
    },
  },
  env: { openExternal: async () => true },
  Uri: { parse: (s) => s },
};
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    clients.push({ id, name, serverOptions, clientOptions, running: false });
  }
  start() { clients[clients.length - 1].running = true; return Promise.resolve(); }
  stop() { return Promise.resolve(); }
}
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient };
  return load.call(this, request, ...rest);
};

(async () => {
  const extension = require("../extension.js");
  const context = { subscriptions: [] };
  await extension.activate(context);
  assert.strictEqual(clients.length, 1);
  assert.deepStrictEqual(clients[0].serverOptions, { command: tmd, args: ["lsp"] });
  assert.deepStrictEqual(clients[0].clientOptions.documentSelector, [{ language: "tmd" }]);
  assert.strictEqual(clients[0].clientOptions.synchronize.fileEvents.glob, "**/tmd.toml");
  assert.ok(clients[0].running, "the client is started");
  assert.ok(commands["tmd.openPreview"] && commands["tmd.restartServer"], "both commands registered");

  await commands["tmd.openPreview"]();
  assert.deepStrictEqual(errors, []);
  assert.strictEqual(shown.length, 1);
  const url = shown[0];
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await fetch(url);
  assert.strictEqual(page.status, 200);
  assert.match(await page.text(), /<title>Threat assessment: /);

  await commands["tmd.openPreview"]();
  assert.deepStrictEqual(shown, [url, url], "the running server is reused");

  await extension.deactivate();
  await new Promise((r) => setTimeout(r, 300));
  let refused = false;
  try { await fetch(url); } catch (e) { refused = true; }
  assert.ok(refused, "the server is stopped with the extension");
  console.log(`extension: client started, preview served at ${url} and stopped`);
})().catch((e) => {
  console.log(`FAIL ${e.stack || e}`);
  process.exit(1);
});
