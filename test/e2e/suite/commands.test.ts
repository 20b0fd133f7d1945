import * as assert from "node:assert/strict";
import { suite, suiteSetup, teardown, test } from "mocha";
import * as vscode from "vscode";
import {
  closeAllEditors, codeOf, extension, hoverText, nextEvent, openNNet, openWorkspaceFile, positionOf, whenChecked, whenDiagnostics, whenTrue, workspaceUri, writeWorkspaceFile,
} from "./workspace";

interface ManifestCommand { command: string; title: string; category?: string }
interface ManifestMenuItem { command: string; when?: string; group?: string }

const nnetCommands = [
  "nnet.train", "nnet.gradcheck", "nnet.stop", "nnet.summary", "nnet.openPanel", "nnet.saveModel", "nnet.predict", "nnet.exportPytorch", "nnet.exportOnnx", "nnet.debug", "nnet.compareRuns",
];

/** The extension's own commands, settings and summary, and the server's answers they build on. */
suite("commands, settings and the model summary", () => {
  suiteSetup(async () => {
    await openWorkspaceFile("spiral.nnet");
    assert.equal(await extension().exports.ready, true, "the language server did not start");
  });
  teardown(closeAllEditors);

  test("the NNet commands are registered and contributed under the NNet category", async () => {
    const registered = await vscode.commands.getCommands(true);
    const manifest = extension().packageJSON.contributes.commands as ManifestCommand[];
    for (const command of nnetCommands) {
      assert.ok(registered.includes(command), `${command} is registered`);
      const entry = manifest.find((each) => each.command === command);
      assert.equal(entry?.category, "NNet", `${command} is in the NNet category`);
    }
    assert.deepEqual(manifest.map((each) => each.title).sort(),
      ["Compare Runs…", "Debug Backpropagation", "Export to ONNX…", "Export to PyTorch…", "Open Training Panel", "Predict…", "Run Gradient Check", "Save Model…", "Show Model Summary", "Stop Training", "Train Model"]);
  });

  test("the editor title shows Train and Gradient check for .nnet files, only in trusted workspaces", () => {
    const menu = extension().packageJSON.contributes.menus["editor/title"] as ManifestMenuItem[];
    for (const command of ["nnet.train", "nnet.gradcheck"]) {
      const item = menu.find((each) => each.command === command);
      assert.match(item?.when ?? "", /resourceLangId == nnet/);
      assert.match(item?.when ?? "", /isWorkspaceTrusted/);
    }
    assert.match(menu.find((each) => each.command === "nnet.stop")?.when ?? "", /nnet\.jobRunning/);
  });

  test("the settings have their documented defaults", () => {
    const config = vscode.workspace.getConfiguration("nnet");
    assert.equal(config.get("inlayHints.enabled"), true);
    assert.equal(config.get("panel.openOnTrain"), true);
    assert.equal(config.get("data.allowOutsideWorkspace"), false);
    assert.equal(config.get("train.maxEpochs"), null);
    assert.equal(config.get("train.threads"), null);
    assert.equal(config.get("gradcheck.tolerance"), null);
    assert.equal(config.get("gradcheck.epsilon"), null);
    const restricted = extension().packageJSON.capabilities.untrustedWorkspaces;
    assert.equal(restricted.supported, "limited");
    assert.ok(restricted.restrictedConfigurations.includes("nnet.data.allowOutsideWorkspace"));
  });

  test("every example is free of errors and warnings", async () => {
    const examples = await vscode.workspace.findFiles("*.nnet");
    const names = examples.map((uri) => uri.path.split("/").pop()!);
    for (const name of ["xor.nnet", "spiral.nnet", "iris.nnet", "sine.nnet", "residual.nnet", "csv.nnet"]) {
      assert.ok(names.includes(name), `${name} is in the workspace`);
      const editor = await openWorkspaceFile(name);
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>("vscode.executeDocumentSymbolProvider", editor.document.uri);
      assert.ok(symbols.length > 0, `${name} has a network`);
      await whenChecked(editor.document.uri);
      const problems = vscode.languages.getDiagnostics(editor.document.uri)
        .filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
      assert.deepEqual(problems.map((d) => `${codeOf(d)}: ${d.message}`), [], `${name} is clean`);
    }
  });

  test("a broken file gets each of its errors, with codes, at the offending words", async () => {
    const editor = await openNNet([
      "network broken {",
      "  input x: 3",
      "  layer h: dense 4 relu",
      "  layer skip: add(h, x)",
      "  layer out: dense 1 sigmoid from nowhere",
      "  loss hinge",
      "  data xor",
      "}",
      "",
    ].join("\n"));
    const uri = editor.document.uri;
    await whenDiagnostics(uri, (diagnostics) => diagnostics.length >= 3, "the broken file has errors");
    const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    const codes = errors.map((d) => String(codeOf(d)));
    for (const code of codes) assert.match(code, /^nnet\/[a-z-]+$/, "every error has a stable nnet/ code");
    const at = (word: string) => errors.filter((d) => editor.document.getText(d.range) === word).map((d) => String(codeOf(d)));
    assert.ok(at("hinge").length > 0, `an unknown loss on 'hinge': ${codes}`);
    assert.ok(at("nowhere").length > 0, `an undeclared layer on 'nowhere': ${codes}`);
    assert.ok(errors.some((d) => /size|units|dimension/i.test(d.message) && d.range.start.line === 3), `add(h, x) of 4 and 3 units: ${codes}`);
  });

  test("hovering spiral's h1 shows its forward pass and BP2 with the real shapes", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    const text = await hoverText(editor.document.uri, positionOf(editor.document, "h1: dense"));
    assert.match(text, /BP2/);
    assert.match(text, /Wʰ¹ ∈ ℝ¹⁶ˣ²/, "W of h1 is 16×2: 16 units fed by the 2 inputs");
    assert.match(text, /δʰ¹ = \(\(Wʰ²\)ᵀ δʰ²\) ⊙ tanh′\(zʰ¹\)/, "BP2 goes through the successor h2's weights");
  });

  test("hovering the output layer shows BP1 specialised to sigmoid and cross-entropy", async () => {
    const editor = await openWorkspaceFile("spiral.nnet");
    const text = await hoverText(editor.document.uri, positionOf(editor.document, "out: dense"));
    assert.match(text, /BP1/);
    assert.match(text, /aᵒᵘᵗ − y/);
  });

  test("completion offers losses after `loss`", async () => {
    const editor = await openNNet("network n {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss \n}\n");
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      "vscode.executeCompletionItemProvider", editor.document.uri, new vscode.Position(3, 7),
    );
    const labels = list.items.map((item) => (typeof item.label === "string" ? item.label : item.label.label));
    for (const loss of ["mse", "binary_cross_entropy", "cross_entropy"]) assert.ok(labels.includes(loss), `${loss} in ${labels}`);
  });

  test("the code lenses above a network run the NNet commands with { uri, network }", async () => {
    const editor = await openWorkspaceFile("xor.nnet");
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", editor.document.uri);
    const commands = lenses.map((lens) => lens.command?.command).sort();
    assert.deepEqual(commands, ["nnet.debug", "nnet.gradcheck", "nnet.summary", "nnet.train"]);
    for (const lens of lenses) assert.deepEqual(lens.command?.arguments, [{ uri: editor.document.uri.toString(), network: "xor" }]);
  });

  test("Show Model Summary from a code lens opens the server's table of layers and parameters", async () => {
    const spiral = workspaceUri("spiral.nnet");
    await openWorkspaceFile("spiral.nnet");
    const shown = await vscode.commands.executeCommand<vscode.Uri | undefined>("nnet.summary", { uri: spiral.toString(), network: "spiral" });
    assert.ok(shown, "the command shows the summary");
    const summary = await vscode.workspace.openTextDocument(shown);
    const text = summary.getText();
    assert.equal(summary.languageId, "markdown");
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    await whenTrue(vscode.window.tabGroups.onDidChangeTabs, () => tabs().some((tab) => tab.label.startsWith("Preview spiral.nnet")), "the summary is shown rendered, in a Markdown preview", 5_000)
      .catch(() => assert.fail(`no summary preview among ${tabs().map((tab) => tab.label).join(", ")}`));
    assert.match(text, /# Network `spiral`/);
    assert.match(text, /\| h1 \| dense \| x \| 16 \| tanh \| 48 \|/, "h1: 16×2 weights + 16 biases");
    assert.match(text, /\| h2 \| dense \| h1 \| 16 \| tanh \| 272 \|/);
    assert.match(text, /\| out \| dense \| h2 \| 1 \| sigmoid \| 17 \|/);
    assert.match(text, /\*\*337 parameters\*\*/);
  });

  test("from the palette, the summary is of the network under the cursor", async () => {
    const editor = await writeWorkspaceFile("two.nnet", [
      "network small {", "  input x: 2", "  layer out: dense 1 sigmoid", "  loss bce", "}",
      "network wide {", "  input x: 2", "  layer h: dense 32 relu", "  layer out: dense 1 sigmoid", "  loss bce", "}", "",
    ].join("\n"));
    const cursor = positionOf(editor.document, "dense 32");
    editor.selection = new vscode.Selection(cursor, cursor);
    const shown = await vscode.commands.executeCommand<vscode.Uri | undefined>("nnet.summary");
    assert.ok(shown);
    const text = (await vscode.workspace.openTextDocument(shown)).getText();
    assert.match(text, /# Network `wide`/);
    assert.match(text, /\*\*129 parameters\*\*/, "32×2+32 + 1×32+1");
  });

  test("with the cursor outside every network, the user picks one", async () => {
    const editor = await openWorkspaceFile("two.nnet");
    const end = new vscode.Position(editor.document.lineCount - 1, 0);
    editor.selection = new vscode.Selection(end, end);
    const pick = nextEvent(extension().exports.networkPick.onDidShow, (uri) => uri.toString() === editor.document.uri.toString(), "the network pick");
    const shown = vscode.commands.executeCommand<vscode.Uri | undefined>("nnet.summary");
    // The quick pick lists the networks in file order; once it is handed to the editor, move to the second and accept it.
    await pick;
    await vscode.commands.executeCommand("workbench.action.quickOpenSelectNext");
    await vscode.commands.executeCommand("workbench.action.acceptSelectedQuickOpenItem");
    const uri = await shown;
    assert.ok(uri, "a network was picked");
    assert.match((await vscode.workspace.openTextDocument(uri)).getText(), /# Network `wide`/);
  });
});
