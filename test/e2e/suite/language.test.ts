import * as assert from "node:assert/strict";
import { setup, suite, teardown, test } from "mocha";
import * as vscode from "vscode";
import { closeAllEditors, openNNet, openWorkspaceFile } from "./workspace";

const run = (command: string, ...args: unknown[]): Thenable<unknown> => vscode.commands.executeCommand(command, ...args);

function selectLines(editor: vscode.TextEditor, first: number, last: number): void {
  editor.selection = new vscode.Selection(first, 0, last, editor.document.lineAt(last).text.length);
}

suite("language support", () => {
  setup(closeAllEditors);
  teardown(closeAllEditors);

  test("a .nnet file gets the nnet language", async () => {
    const editor = await openWorkspaceFile("xor.nnet");
    assert.equal(editor.document.languageId, "nnet");
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes("nnet"));
  });

  test("toggling a line comment uses //", async () => {
    const editor = await openNNet("layer a: dense 2\nlayer b: dense 1\n");
    selectLines(editor, 0, 1);
    await run("editor.action.commentLine");
    assert.equal(editor.document.getText(), "// layer a: dense 2\n// layer b: dense 1\n");
    await run("editor.action.commentLine");
    assert.equal(editor.document.getText(), "layer a: dense 2\nlayer b: dense 1\n");
  });

  test("a block comment uses /* */", async () => {
    const editor = await openNNet("loss mse\n");
    selectLines(editor, 0, 0);
    await run("editor.action.blockComment");
    assert.equal(editor.document.getText(), "/* loss mse */\n");
  });

  test("reindenting follows the braces", async () => {
    const editor = await openNNet("network n {\ninput x: 2\ntrain {\nepochs 3\n}\n}\n");
    selectLines(editor, 0, 5);
    await run("editor.action.reindentlines");
    assert.equal(editor.document.getText(), "network n {\n  input x: 2\n  train {\n    epochs 3\n  }\n}\n");
  });

  test("typing an opening bracket closes it", async () => {
    const editor = await openNNet("data spiral\n");
    editor.selection = new vscode.Selection(0, 11, 0, 11);
    await run("type", { text: "(" });
    assert.equal(editor.document.getText(), "data spiral()\n");
  });

  test("words are identifiers and whole numbers", async () => {
    const editor = await openNNet("layer h_1: dense 16 leaky_relu init normal(std: -0.5)\ngradcheck { epsilon 1e-7 }\n");
    const wordAt = (line: number, character: number): string => {
      const range = editor.document.getWordRangeAtPosition(new vscode.Position(line, character));
      return range ? editor.document.getText(range) : "";
    };
    assert.equal(wordAt(0, 7), "h_1");
    assert.equal(wordAt(0, 24), "leaky_relu");
    assert.equal(wordAt(0, 50), "-0.5");
    assert.equal(wordAt(1, 21), "1e-7");
  });
});
