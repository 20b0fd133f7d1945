/** nnet/summary over stdio: the table behind the editor's "Show Model Summary". */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
