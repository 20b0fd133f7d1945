/** The editor's checker keeps to the workspace as training does: a .nnet file cannot show the contents of a file elsewhere. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompletionList } from "vscode-languageserver-protocol";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

const reader = (path: string): string =>
  `network n {\n  input x: 2\n  layer out: dense 1 sigmoid\n  loss bce\n  data csv("${path}", target: "label")\n}\n`;

describe.skipIf(!existsSync(serverPath))("data files in the editor", () => {
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), "nnet-lsp-ws-"));
  beforeAll(async () => {
    mkdirSync(join(dir, "project"));
    writeFileSync(join(dir, "secret.csv"), "token,label\nSECRET-VALUE,1\n");
    writeFileSync(join(dir, "project", "own.csv"), "a,b,label\n1,2,0\n3,4,1\n");
    client = await startClient({ workspaceFolders: [join(dir, "project")] });
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a CSV outside the document's folder and says why, without its columns or rows", async () => {
    const uri = pathToFileURL(join(dir, "project", "out.nnet")).href;
    open(client, uri, reader("../secret.csv"));
    const published = await client.diagnostics(uri);
    const messages = published.diagnostics.map((d) => `${d.code}: ${d.message}`);
    expect(messages.some((m) => m.startsWith("nnet/csv-missing-file: ") && m.includes("outside the workspace"))).toBe(true);
    expect(messages.join("\n")).not.toMatch(/SECRET-VALUE|token/);
  });

  it("offers no column names from a CSV outside the workspace, and those of one beside the document", async () => {
    const complete = async (name: string, path: string): Promise<string[]> => {
      const uri = pathToFileURL(join(dir, "project", name)).href;
      const text = reader(path).replace('target: "label"', 'target: ""');
      open(client, uri, text);
      await client.diagnostics(uri);
      const offset = text.indexOf('target: ""') + 'target: "'.length;
      const list = await client.connection.sendRequest<CompletionList>("textDocument/completion", { textDocument: { uri }, position: positionOf(text, offset) });
      return list.items.map((item) => item.label);
    };
    expect(await complete("outside.nnet", "../secret.csv")).toEqual([]);
    expect(await complete("inside.nnet", "own.csv")).toEqual(["a", "b", "label"]);
  });

  it("still reads a CSV beside the document", async () => {
    const uri = pathToFileURL(join(dir, "project", "in.nnet")).href;
    open(client, uri, reader("own.csv"));
    const published = await client.diagnostics(uri);
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  });
});

describe.skipIf(!existsSync(serverPath))("nnet.data.allowOutsideWorkspace", () => {
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), "nnet-lsp-allow-"));
  beforeAll(async () => {
    mkdirSync(join(dir, "project"));
    writeFileSync(join(dir, "shared.csv"), "a,b,label\n1,2,0\n3,4,1\n");
    client = await startClient({ workspaceFolders: [join(dir, "project")] });
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads data outside the workspace once the user allows it, and refuses it again when they withdraw it", async () => {
    const uri = pathToFileURL(join(dir, "project", "shared.nnet")).href;
    const refused = (p: { diagnostics: { message: string }[] }) => p.diagnostics.some((d) => d.message.includes("outside the workspace"));
    open(client, uri, reader("../shared.csv"));
    await client.diagnostics(uri, refused);

    client.settings = { ...client.settings, data: { allowOutsideWorkspace: true } };
    const before = client.published.length;
    client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    const allowed = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= before && !refused(p));
    expect(allowed.diagnostics.filter((d) => d.severity === 1)).toEqual([]);

    client.settings = { ...client.settings, data: { allowOutsideWorkspace: false } };
    const again = client.published.length;
    client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.diagnostics(uri, (p) => client.published.indexOf(p) >= again && refused(p));
  });
});

describe.skipIf(!existsSync(serverPath))("workspace folders added and removed later", () => {
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), "nnet-lsp-folders-"));
  const folder = (name: string) => ({ uri: pathToFileURL(join(dir, name)).href, name });
  beforeAll(async () => {
    for (const name of ["first", "second"]) mkdirSync(join(dir, name));
    writeFileSync(join(dir, "second", "own.csv"), "a,b,label\n1,2,0\n3,4,1\n");
    client = await startClient({ workspaceFolders: [join(dir, "first")] });
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("re-checks open documents when a folder is added, and refuses its data again once it is removed", async () => {
    const uri = pathToFileURL(join(dir, "second", "late.nnet")).href;
    const outside = (p: { diagnostics: { message: string }[] }) => p.diagnostics.some((d) => d.message.includes("outside every workspace folder"));
    const clean = (p: { diagnostics: { severity?: number }[] }) => p.diagnostics.every((d) => d.severity !== 1);
    open(client, uri, reader("own.csv"));
    await client.diagnostics(uri, outside);

    const added = client.published.length;
    client.connection.sendNotification("workspace/didChangeWorkspaceFolders", { event: { added: [folder("second")], removed: [] } });
    const allowed = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= added && !outside(p));
    expect(allowed.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    const summary = () => client.connection.sendRequest<{ errors: number }>("nnet/summary", { uri });
    expect((await summary()).errors).toBe(0);

    const removed = client.published.length;
    client.connection.sendNotification("workspace/didChangeWorkspaceFolders", { event: { added: [], removed: [folder("second")] } });
    const refused = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= removed && outside(p));
    expect(clean(refused)).toBe(false);
    expect((await summary()).errors).toBeGreaterThan(0);
  });
});
