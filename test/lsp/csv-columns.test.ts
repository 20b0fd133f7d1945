/** CSV feature and target columns over the protocol: the column errors where they are written, the quick fix, the hover's columns and their completion. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeAction, CompletionList, Hover, MarkupContent, TextEdit } from "vscode-languageserver-protocol";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

describe.skipIf(!existsSync(serverPath))("CSV columns in the editor", () => {
  const dir = mkdtempSync(join(tmpdir(), "nnet-lsp-columns-"));
  let client: TestClient;
  beforeAll(async () => {
    writeFileSync(join(dir, "houses.csv"), "rooms,area,age,note,price,rent\n3,80,10,a,200,1.1\n4,120,5,b,310,1.5\n2,50,30,a,120,0.8\n");
    client = await startClient({ workspaceFolders: [dir] });
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const text = (features: string) => `network houses {
  input x: 2
  layer out: dense 2
  loss mse
  data csv("houses.csv", target: ["price", "rent"], features: ${features})
}
`;

  it("publishes an unknown feature column at its name and fixes it with the closest column", async () => {
    const uri = pathToFileURL(join(dir, "bad.nnet")).href;
    const source = text('["rooms", "aera"]');
    open(client, uri, source);
    const published = await client.diagnostics(uri);
    const [d] = published.diagnostics;
    expect([d!.code, d!.range.start, d!.message]).toEqual([
      "nnet/csv-missing-column", positionOf(source, source.indexOf('"aera"')),
      "the CSV file 'houses.csv' has no feature column 'aera'; its columns are 'rooms', 'area', 'age', 'note', 'price', 'rent'; did you mean 'area'?",
    ]);
    const actions = await client.connection.sendRequest<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri }, range: d!.range, context: { diagnostics: [d] },
    });
    const edit = actions[0]!.edit!.changes![uri]![0]!;
    expect([actions[0]!.title, edit.newText]).toEqual(["Use column 'area'", '"area"']);
  });

  it("hovers the csv source with its features in input order and its targets", async () => {
    const uri = pathToFileURL(join(dir, "good.nnet")).href;
    const source = text('["area", "rooms"]');
    open(client, uri, source);
    expect((await client.diagnostics(uri)).diagnostics).toEqual([]);
    const hover = await client.connection.sendRequest<Hover>("textDocument/hover", { textDocument: { uri }, position: positionOf(source, source.indexOf("csv(") + 1) });
    const value = (hover.contents as MarkupContent).value;
    expect(value).toContain("shape: 2 features → 2 targets per row");
    expect(value).toContain("features (input order): x1 = area, x2 = rooms");
    expect(value).toContain("targets (output order): price, rent (regression)");
  });

  /** The completion at `<|>` once the server has checked the text: each item's label and the line as accepting it leaves it. */
  async function columnsAt(name: string, marked: string): Promise<{ label: string; line: string }[]> {
    const uri = pathToFileURL(join(dir, name)).href;
    const offset = marked.indexOf("<|>");
    const source = marked.replace("<|>", "");
    open(client, uri, source);
    await client.diagnostics(uri);
    const list = await client.connection.sendRequest<CompletionList>("textDocument/completion", { textDocument: { uri }, position: positionOf(source, offset) });
    const line = source.split("\n")[positionOf(source, offset).line]!;
    return list.items.map((item) => {
      const edit = item.textEdit as TextEdit;
      return { label: item.label, line: line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character) };
    });
  }

  it("completes feature columns after a comma in the list, quoted, leaving out the targets and the features listed", async () => {
    const items = await columnsAt("complete-features.nnet", text('["area", <|>]'));
    expect(items.map((i) => i.label)).toEqual(["rooms", "age", "note"]);
    expect(items[0]!.line).toBe('  data csv("houses.csv", target: ["price", "rent"], features: ["area", "rooms"])');
  });

  it("completes a target column inside its quotes with the name alone", async () => {
    const source = `network houses {\n  input x: 2\n  layer out: dense 1\n  loss mse\n  data csv("houses.csv", target: "pr<|>")\n}\n`;
    const items = await columnsAt("complete-target.nnet", source);
    expect(items.map((i) => i.label)).toEqual(["rooms", "area", "age", "note", "price", "rent"]);
    expect(items.find((i) => i.label === "price")!.line).toBe('  data csv("houses.csv", target: "price")');
  });

  it("a typed quote asks for columns only where a column name goes: not after a path's closing quote", async () => {
    const uri = pathToFileURL(join(dir, "typed.nnet")).href;
    const source = `network houses {\n  input x: 2\n  layer out: dense 1\n  loss mse\n  data csv("houses.csv", target: "")\n}\n`;
    open(client, uri, source);
    await client.diagnostics(uri);
    const typed = (offset: number) => client.connection.sendRequest<CompletionList | null>("textDocument/completion", {
      textDocument: { uri }, position: positionOf(source, offset), context: { triggerKind: 2, triggerCharacter: '"' },
    });
    expect(await typed(source.indexOf('houses.csv"') + 'houses.csv"'.length)).toBeNull();
    const inTarget = await typed(source.indexOf('target: "') + 'target: "'.length);
    expect(inTarget!.items.map((item) => item.label)).toEqual(["rooms", "area", "age", "note", "price", "rent"]);
  });
});
