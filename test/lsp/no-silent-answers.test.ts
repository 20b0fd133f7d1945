/** Issue 11 in the editor: numbers past their range, networks too large to train, targets that are not distributions. */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hover, MarkupContent } from "vscode-languageserver-protocol";
import { open, positionOf, serverPath, startClient, type TestClient } from "./client";

const text = `network n {
  input x: 2
  layer h: dense 4 leaky_relu(alpha: 1e309)
  layer out: dense 1 sigmoid
  loss bce
  data moons(noise: 1e309)
  train { optimizer sgd(lr: 1e309) }
  gradcheck { tolerance 1e309 }
}
`;
const uri = "file:///no-silent-answers.nnet";

describe.skipIf(!existsSync(serverPath))("issue 11 over the protocol", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient();
  });
  afterAll(async () => client?.close());

  it("publishes an out-of-range error on each 1e309, with the range", async () => {
    open(client, uri, text);
    const published = await client.diagnostics(uri);
    const ranges = published.diagnostics.filter((d) => d.code === "nnet/out-of-range");
    const starts = [...text.matchAll(/1e309/g)].map((match) => positionOf(text, match.index!));
    expect(ranges.map((d) => d.range.start)).toEqual(starts);
    expect(ranges.every((d) => d.severity === 1 && /it must be a number/.test(d.message))).toBe(true);
  });

  it("refuses a network above the parameter limit at the layer, and warns about targets that are not a distribution", async () => {
    const other = "file:///sizes.nnet";
    const source = `network big {
  input x: 2
  layer h: dense 100000000 relu
  layer out: dense 1 sigmoid
  loss bce
}
network soft {
  input x: 2
  layer out: dense 2 softmax
  loss cross_entropy
  data { 0 0 -> 0.5 0.5 ; 1 1 -> 1 1 }
}
`;
    open(client, other, source);
    const published = await client.diagnostics(other);
    const found = published.diagnostics.filter((d) => d.code !== "nnet/missing-data").map((d) => [d.code, d.severity, d.range.start]);
    expect(found).toEqual([
      ["nnet/too-many-parameters", 1, positionOf(source, source.indexOf("100000000"))],
      ["nnet/targets-not-distribution", 2, positionOf(source, source.indexOf("1 1 }"))],
    ]);
    // the hover on the soft network's output shows the form the engine computes for such targets
    const hover = await client.connection.sendRequest<Hover>("textDocument/hover", {
      textDocument: { uri: other }, position: positionOf(source, source.lastIndexOf("layer out") + "layer o".length),
    });
    expect((hover.contents as MarkupContent).value).toContain("δᵒᵘᵗ = aᵒᵘᵗ·Σⱼyⱼ − y");
  });
});
