/**
 * The backward pass as plain data, for the hover text to state exactly what
 * the engine computes: per node, BP1 or the BP2 sum over its successors.
 */
import type { OutputRule } from "./losses";
import type { Network } from "./network";

export interface PlanContribution {
  /** the successor whose δ flows back along this edge */
  successor: string;
  successorKind: "dense" | "add" | "concat" | "dropout";
  /** dense: (W^succ)ᵀ δ^succ; add, dropout: δ^succ; concat: rows [start, end) of δ^succ */
  contribution: "transposed-weights" | "identity" | "row-slice";
  start: number;
  end: number;
}

export interface PlanStep {
  node: string;
  kind: "dense" | "add" | "concat" | "dropout";
  units: number;
  /** "output": BP1 with `outputRule`; "successors": BP2's sum; "unreached": δ = 0 */
  source: "output" | "successors" | "unreached";
  outputRule?: OutputRule;
  contributions: PlanContribution[];
  /** dense nodes multiply the sum by σ′(z) (for softmax: its Jacobian-vector product) */
  activation?: string;
  /** dropout nodes multiply the sum by their mask m (1 at evaluation); p is the drop probability */
  dropout?: { rate: number };
  /** the node whose a feeds this node's W (dense) or the operands (add, concat) */
  from: string[];
}

/** Steps in the order the backward pass runs them: from the output to the first layer. */
export function backwardPlan(network: Network): PlanStep[] {
  const steps: PlanStep[] = [];
  for (let n = network.output; n > 0; n--) {
    const node = network.nodes[n];
    if (node.kind === "input") continue;
    const source = !network.reachesOutput[n] ? "unreached" : n === network.output ? "output" : "successors";
    steps.push({
      node: node.name, kind: node.kind, units: node.units, source,
      ...(source === "output" ? { outputRule: network.rule } : {}),
      contributions: network.incoming[n].map((edge) => {
        const succ = network.nodes[edge.successor] as { kind: "dense" | "add" | "concat" | "dropout"; name: string };
        return { successor: succ.name, successorKind: succ.kind, contribution: edge.contribution, start: edge.start, end: edge.end };
      }),
      ...(node.kind === "dense" ? { activation: node.activation.name } : {}),
      ...(node.kind === "dropout" ? { dropout: { rate: node.rate } } : {}),
      from: (node.kind === "dense" || node.kind === "dropout" ? [node.from] : node.from).map((f) => network.nodes[f].name),
    });
  }
  return steps;
}

export interface PassCosts {
  /** Σ units·fan_in over dense layers: z = W a per example */
  forwardMultiplyAdds: number;
  /** ∂C/∂W = δ aᵀ for every dense layer, plus (W)ᵀ δ for those not fed by the input */
  backwardMultiplyAdds: number;
  /** z and a of every dense node, a of the others and each dropout mask, per example: what the forward pass keeps for backward (seed §6.1) */
  cachedValuesPerExample: number;
  /** parameters × outputs: the cost of naive forward-mode differentiation, in forward passes (seed §6.3) */
  forwardModePasses: number;
}

/** The work the engine does per example, counted from the same nodes it runs. */
export function passCosts(network: Network): PassCosts {
  let forward = 0, backward = 0, cached = 0, params = 0;
  for (const node of network.nodes) {
    if (node.kind === "dense") {
      const product = node.units * node.fanIn;
      forward += product;
      backward += product + (node.from === 0 ? 0 : product);
      cached += node.activation.name === "identity" ? node.units : 2 * node.units;
      params += product + node.units;
    } else if (node.kind === "dropout") {
      cached += 2 * node.units;
    } else if (node.kind !== "input") {
      cached += node.units;
    }
  }
  return {
    forwardMultiplyAdds: forward, backwardMultiplyAdds: backward, cachedValuesPerExample: cached,
    forwardModePasses: params * network.nodes[network.output].units,
  };
}
