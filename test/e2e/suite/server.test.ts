import * as assert from "node:assert/strict";
import { suite, suiteSetup, teardown, test } from "mocha";
import * as vscode from "vscode";
import { closeAllEditors, extension, openNNet, openWorkspaceFile, whenDiagnostics } from "./workspace";

/** The language server's answers as the editor receives them, through the editor's own commands. */
suite("language server in the editor", () => {
  suiteSetup(async () => {
    await openWorkspaceFile("spiral.nnet");
    assert.equal(await extension().exports.ready, true, "the language server did not start");
  });
  teardown(closeAllEditors);

  const codeOf = (diagnostic: vscode.Diagnostic): string | number | undefined =>
    typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code;

  test("a misspelt activation is an error on the word, with a suggestion", async () => {
    const editor = await openWorkspaceFile("typo.nnet");
    const uri = editor.document.uri;
    await whenDiagnostics(uri, (diagnostics) => diagnostics.length > 0, "typo.nnet has diagnostics");
    const unknown = vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === "nnet/unknown-activation");
    assert.ok(unknown, `no nnet/unknown-activation among ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`);
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(unknown.range), "tahn");
    assert.match(unknown.message, /did you mean 'tanh'/);
  });

  test("fixing the word clears the error", async () => {
    const editor = await openWorkspaceFile("typo.nnet");
    const uri = editor.document.uri;
    const hasUnknown = (diagnostics: vscode.Diagnostic[]): boolean => diagnostics.some((d) => codeOf(d) === "nnet/unknown-activation");
    await whenDiagnostics(uri, hasUnknown, "the misspelling is reported");
    const start = editor.document.getText().indexOf("tahn");
    const range = new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + 4));
    assert.ok(await editor.edit((edit) => edit.replace(range, "tanh")));
    await whenDiagnostics(uri, (diagnostics) => !hasUnknown(diagnostics), "the error is gone after the edit");
  });

  test("hovering a hidden layer shows its BP2 delta", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    const offset = editor.document.getText().indexOf("layer h2") + "layer ".length;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      "vscode.executeHoverProvider",
      editor.document.uri,
      editor.document.positionAt(offset + 1),
    );
    const text = hovers.flatMap((hover) => hover.contents.map((part) => (typeof part === "string" ? part : part.value))).join("\n");
    assert.match(text, /BP2/);
    assert.match(text, /h2/);
  });

  test("completion inside a csv feature name offers the file's columns not yet named, to go inside the quotes", async () => {
    const editor = await openWorkspaceFile("weather.nnet");
    const offset = editor.document.getText().indexOf('"humidity"') + '"hu'.length;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      "vscode.executeCompletionItemProvider",
      editor.document.uri,
      editor.document.positionAt(offset),
    );
    // the editor adds words of the document as Text items; the server's columns are fields
    const columns = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Field);
    assert.deepEqual(columns.map((item) => (typeof item.label === "string" ? item.label : item.label.label)), ["id", "site", "humidity"]);
    const site = columns[1]!;
    assert.equal(typeof site.insertText === "string" ? site.insertText : site.textEdit?.newText, "site");
  });

  test("completion after a dense layer's units offers activations", async () => {
    const editor = await openNNet("network n {\n  input x: 2\n  layer h: dense 4 \n}\n");
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      "vscode.executeCompletionItemProvider",
      editor.document.uri,
      new vscode.Position(2, 19),
    );
    const labels = list.items.map((item) => (typeof item.label === "string" ? item.label : item.label.label));
    for (const activation of ["tanh", "relu", "sigmoid"]) assert.ok(labels.includes(activation), `${activation} in ${labels}`);
  });
});
