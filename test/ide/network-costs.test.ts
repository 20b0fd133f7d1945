/**
 * Every figure the network hover states is the engine's own: counted here
 * from the buffers a real forward and backward pass used, and from the
 * multiply-adds its kernel performed, for every example and random DAGs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  computeGradients, createNetwork, evaluateLoss, jsKernel, totalParameters, type Kernel, type LayerSpec, type NetworkSpec,
} from "../../server/src/engine/index";
import * as ide from "../../server/src/language/ide/index";
import { batchFor } from "../engine/helpers";
import { outputPairs, Random, randomNetwork } from "./random-networks";

const examples = join(__dirname, "../../examples");

/** A spec written out as .nnet, so the hover comes from a parsed document as in the editor. */
function nnetSource(spec: NetworkSpec): string {
  const activation = (a: { name: string; alpha?: number }) => (a.alpha === undefined ? a.name : `${a.name}(alpha: ${a.alpha})`);
  const line = (layer: LayerSpec) => layer.kind === "dense"
    ? `  layer ${layer.name}: dense ${layer.units} ${activation(layer.activation)} from ${layer.from} init xavier`
    : layer.kind === "dropout" ? `  layer ${layer.name}: dropout ${layer.rate} from ${layer.from}`
    : `  layer ${layer.name}: ${layer.kind}(${layer.from.join(", ")})`;
  return [`network ${spec.name} {`, `  input ${spec.input.name}: ${spec.input.units}`, ...spec.layers.map(line), `  loss ${spec.loss}`, "}", ""].join("\n");
}

/** The numbers of the network hover, by its labels. */
function hoverFigures(text: string, network: string) {
  const document = ide.analyzeDocument({ uri: "file:///costs.nnet", version: 1, text });
  const markdown = ide.hover(document, text.indexOf(`network ${network}`) + "network ".length)!.markdown;
  const number = (pattern: RegExp) => Number(markdown.match(pattern)![1]!.replace(/,/g, ""));
  return {
    parameters: number(/\*\*Parameters\*\*: ([\d,]+)/),
    nodes: number(/\*\*Graph\*\*: (\d+) nodes/),
    edges: number(/nodes, (\d+) edges/),
    forward: number(/forward ([\d,]+) multiply-adds/),
    backward: number(/· backward ([\d,]+) \(/),
    cached: number(/\*\*Cached by the forward pass\*\*: ([\d,]+) values/),
  };
}

/** A kernel that counts the multiply-adds it performs. */
function countingKernel(): Kernel & { count: number } {
  const kernel = {
    name: "counting", count: 0,
    gemm(...args: Parameters<Kernel["gemm"]>) {
      const [, , m, n, k] = args;
      kernel.count += m * n * k;
      jsKernel.gemm(...args);
    },
  };
  return kernel;
}

/** What the engine really does on a batch of m: parameters, buffers the forward pass fills, multiply-adds per pass. */
function measured(spec: NetworkSpec, m: number) {
  const kernel = countingKernel();
  const network = createNetwork(spec, { seed: 2, kernel });
  const { x, y } = batchFor(network, m, 5);
  evaluateLoss(network, x, y);
  const forward = kernel.count / m;
  const workspace = network.last!;
  const buffers = new Set<Float64Array>();
  for (let n = 1; n < network.nodes.length; n++) {
    buffers.add(workspace.a[n]!);
    if (workspace.z[n]) buffers.add(workspace.z[n]!);
    // a dropout layer's mask: drawn forward, read again by its BP2
    if (workspace.mask[n]) buffers.add(workspace.mask[n]!);
  }
  kernel.count = 0;
  computeGradients(network, x, y);
  const backward = kernel.count / m - forward;
  const cached = [...buffers].reduce((total, buffer) => total + buffer.length, 0) / m;
  const edges = network.nodes.reduce((total, node) => total + (node.kind === "input" ? 0 : node.kind === "dense" || node.kind === "dropout" ? 1 : node.from.length), 0);
  return { parameters: totalParameters(network), nodes: network.nodes.length, edges, forward, backward, cached };
}

function expectHoverMatchesEngine(text: string, spec: NetworkSpec): void {
  expect(hoverFigures(text, spec.name)).toEqual(measured(spec, 3));
}

describe("the network hover states the engine's own figures", () => {
  const files = readdirSync(examples).filter((file) => file.endsWith(".nnet"));

  it.each(files)("%s", (file) => {
    const text = readFileSync(join(examples, file), "utf8");
    const document = ide.analyzeDocument({ uri: `file:///${file}`, version: 1, text });
    const networks = document.analysis.model.networks;
    expect(networks.length).toBeGreaterThan(0);
    for (const network of networks) expectHoverMatchesEngine(text, ide.specOf(network)!);
  });

  it("on the issue's 4 → 8 tanh → 3 identity network: 19 cached values per example", () => {
    const text = "network small {\n  input x: 4\n  layer h: dense 8 tanh\n  layer out: dense 3\n  loss mse\n}\n";
    const spec = ide.specOf(ide.analyzeDocument({ uri: "file:///s.nnet", version: 1, text }).analysis.model.networks[0]!)!;
    expect(hoverFigures(text, "small").cached).toBe(19);
    expectHoverMatchesEngine(text, spec);
  });

  it("on random DAGs with several successors, add and concat", () => {
    const random = new Random(1234);
    for (let trial = 0; trial < 60; trial++) {
      const spec = randomNetwork(random, random.pick(outputPairs), random.int(1, 7));
      const text = nnetSource(spec);
      expectHoverMatchesEngine(text, spec);
    }
  });
});
