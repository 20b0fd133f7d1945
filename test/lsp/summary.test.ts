/** nnet/summary over stdio: the table behind the editor's "Show Model Summary". */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocumentSymbol } from "vscode-languageserver-protocol";
import { networkPickItems } from "../../client/src/network-pick";
import { SummaryRequest, type SummaryResult } from "../../server/src/protocol/index";
import { open, serverPath, startClient, type TestClient } from "./client";

const two = `network small {
  input x: 2
  layer out: dense 1 sigmoid
  loss bce
}
network wide {
  input x: 2
  layer h: dense 32 relu
  layer out: dense 1 sigmoid from h
  loss bce
}
`;

describe.skipIf(!existsSync(serverPath))("nnet/summary", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
    open(client, "file:///two.nnet", two);
  });
  afterAll(async () => {
    await client?.close();
  });

  const summary = (params: { uri: string; network?: string }) => client.connection.sendRequest<SummaryResult>(SummaryRequest.method, params);

  it("describes the named network's layers and parameters", async () => {
    const result = await summary({ uri: "file:///two.nnet", network: "wide" });
    expect(result.networks).toEqual(["small", "wide"]);
    expect(result.errors).toBe(0);
    expect(result.summary?.network).toBe("wide");
    expect(result.summary?.layers.map((layer) => [layer.name, layer.kind, layer.units, layer.params])).toEqual([
      ["x", "input", 2, 0], ["h", "dense", 32, 32 * 2 + 32], ["out", "dense", 1, 32 + 1],
    ]);
    expect(result.summary?.totalParams).toBe(129);
  });

  it("describes the first network when none is named", async () => {
    expect((await summary({ uri: "file:///two.nnet" })).summary?.network).toBe("small");
  });

  it("answers without a summary for an unknown network or document", async () => {
    expect(await summary({ uri: "file:///two.nnet", network: "nope" })).toEqual({ networks: ["small", "wide"], errors: 0 });
    expect(await summary({ uri: "file:///closed.nnet" })).toEqual({ networks: [], errors: 0 });
  });

  it("describes each network of the editor's 'which network?' pick from its summary, as the outline does", async () => {
    const { networks } = await summary({ uri: "file:///two.nnet" });
    const items = networkPickItems(networks, await Promise.all(networks.map((network) => summary({ uri: "file:///two.nnet", network }))));
    expect(items).toEqual([{ label: "small", description: "1 layers · 3 params" }, { label: "wide", description: "2 layers · 129 params" }]);
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: "file:///two.nnet" } });
    expect(symbols.map((symbol) => ({ label: symbol.name, description: symbol.detail }))).toEqual(items);
  });

  it("describes a network that has errors from what its summary knows, and leaves one the server does not know undescribed", async () => {
    open(client, "file:///broken-pick.nnet", two.replace("dense 32 relu", "dense 32 rleu"));
    const { networks } = await summary({ uri: "file:///broken-pick.nnet" });
    const described = await Promise.all([...networks, "gone"].map((network) => summary({ uri: "file:///broken-pick.nnet", network })));
    expect(networkPickItems([...networks, "gone"], described)).toEqual([
      { label: "small", description: "1 layers · 3 params" }, { label: "wide", description: "2 layers · 129 params" }, { label: "gone" },
    ]);
  });
});
