// The tmd extension for VS Code: plain JavaScript, no build step.
//
// - starts the language server (`tmd lsp`, docs/lsp.md) for .tmd files
//   through vscode-languageclient;
// - "tmd: Open live preview" runs `tmd serve FILE --port 0` (docs/editors.md)
//   and opens the URL it prints, in VS Code's Simple Browser (falling back
//   to the system's browser); one server per model, stopped with the
//   extension.
"use strict";

const vscode = require("vscode");
const { spawn } = require("child_process");
const path = require("path");
const { LanguageClient } = require("vscode-languageclient/node");

let client = null;
/** Running `tmd serve` processes, by the model's path. */
const previews = new Map();

function program() {
  return vscode.workspace.getConfiguration("tmd").get("path") || "tmd";
}

function startClient() {
  const docsUrl = vscode.workspace.getConfiguration("tmd").get("docsUrl");
  const serverOptions = { command: program(), args: ["lsp"] };
  const clientOptions = {
    documentSelector: [{ language: "tmd" }],
    initializationOptions: docsUrl ? { docsUrl } : {},
    synchronize: {
      // The server rechecks the open models when a project's tmd.toml changes.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/tmd.toml"),
    },
  };
  client = new LanguageClient("tmd", "tmd language server", serverOptions, clientOptions);
  return client.start();
}

/** Runs `tmd serve FILE --port 0` and resolves with the URL it prints. */
function serve(file, output) {
  return new Promise((resolve, reject) => {
    const child = spawn(program(), ["serve", file, "--port", "0", "--color", "never"], {
      cwd: path.dirname(file),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let settled = false;
    child.stdout.on("data", (data) => {
      out += data.toString();
      const line = out.split("\n")[0];
      if (!settled && out.includes("\n")) {
        settled = true;
        previews.set(file, { child, url: line.trim() });
        resolve(line.trim());
      }
    });
    child.stderr.on("data", (data) => output.append(data.toString()));
    child.on("error", (e) => {
      if (!settled) { settled = true; reject(e); }
    });
    child.on("exit", (code) => {
      previews.delete(file);
      if (!settled) { settled = true; reject(new Error(`tmd serve exited with status ${code}`)); }
    });
  });
}

async function openPreview(output) {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "tmd" || editor.document.isUntitled) {
    vscode.window.showInformationMessage("Open a saved .tmd file to preview it.");
    return;
  }
  await editor.document.save();
  const file = editor.document.uri.fsPath;
  let url;
  try {
    url = previews.has(file) ? previews.get(file).url : await serve(file, output);
  } catch (e) {
    vscode.window.showErrorMessage(`tmd serve failed: ${e.message} (is tmd on PATH? see the setting tmd.path)`);
    return;
  }
  try {
    await vscode.commands.executeCommand("simpleBrowser.show", url);
  } catch (e) {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}

function activate(context) {
  const output = vscode.window.createOutputChannel("tmd serve");
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand("tmd.openPreview", () => openPreview(output)),
    vscode.commands.registerCommand("tmd.restartServer", async () => {
      if (client) { await client.stop(); }
      await startClient();
    })
  );
  return startClient();
}

async function deactivate() {
  for (const { child } of previews.values()) { child.kill(); }
  previews.clear();
  if (client) { await client.stop(); }
}

module.exports = { activate, deactivate };
