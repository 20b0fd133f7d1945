import * as assert from "node:assert/strict";
import { suite, suiteTeardown, test } from "mocha";
import * as vscode from "vscode";
import { closeAllEditors, extension, openWorkspaceFile } from "./workspace";

suite("activation", () => {
  suiteTeardown(closeAllEditors);

  test("the extension is present and waits for a .nnet file", () => {
    const nnet = extension();
    assert.equal(nnet.packageJSON.name, "nnet-lab");
    // Opening a .nnet file, VS Code restoring the training panel after a window reload, or opening a .nnetmodel.
    assert.deepEqual(nnet.packageJSON.activationEvents, [
      "onLanguage:nnet", "onWebviewPanel:nnet.trainingPanel", "onCustomEditor:nnet.modelViewer", "onDebugResolve:nnet", "onDebugInitialConfigurations",
    ]);
    assert.equal(nnet.isActive, false, "nothing .nnet has been opened yet");
  });

  test("opening a .nnet file activates it", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    assert.equal(editor.document.languageId, "nnet");
    // The API has no event for another extension's activation, and calling activate() here would
    // activate it whatever opening the file did: this one wait re-checks isActive.
    for (const deadline = Date.now() + 10_000; !extension().isActive;) {
      assert.ok(Date.now() < deadline, "opening spiral.nnet did not activate the extension within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  test("activate returns the language client and the output channel", () => {
    const api = extension().exports;
    assert.equal(api.client.name, "NNet Lab");
    assert.deepEqual(api.client.clientOptions.documentSelector, [{ language: "nnet" }]);
    assert.equal(api.output.name, "NNet Lab");
  });

  test("activation settles whether or not the language server comes up", async () => {
    const started = await Promise.race([
      extension().exports.ready,
      new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 20_000)),
    ]);
    assert.equal(typeof started, "boolean", "the client's ready promise never settled");
    assert.ok(vscode.window.activeTextEditor, "the editor is still open and usable");
  });

  test("the language server from out/server.js is running", async () => {
    const api = extension().exports;
    assert.equal(await api.ready, true, "see the NNet Lab output channel for why the server did not start");
    assert.equal(api.client.isRunning(), true);
  });
});
