/**
 * model.py: the network as an nn.Module, one nn.Linear per dense layer and
 * one line of forward() per layer, in the spec's topological order. Every
 * construct is looked up in the tables below; one that is not there (a new
 * layer kind or activation) is refused with its name, before anything is written.
 */
import type { ActivationSpec, LayerSpec, LossName, NetworkSpec } from "../../engine/index";
import { ExportError } from "../errors";

// Each activation as the engine computes it (server/src/engine/activations.ts), written in torch.
// softplus is spelled out: F.softplus switches to z above 20, the engine never does.
const activations: Record<string, (z: string, spec: ActivationSpec) => string> = {
  identity: (z) => z,
  sigmoid: (z) => `torch.sigmoid(${z})`,
  tanh: (z) => `torch.tanh(${z})`,
  relu: (z) => `torch.relu(${z})`,
  leaky_relu: (z, s) => `F.leaky_relu(${z}, negative_slope=${pyNumber(s.alpha ?? 0.01)})`,
  elu: (z, s) => `torch.where(${z} > 0, ${z}, ${pyNumber(s.alpha ?? 1)} * torch.expm1(${z}))`,
  softplus: (z) => `torch.clamp(${z}, min=0) + torch.log1p(torch.exp(-${z}.abs()))`,
  softmax: (z) => `torch.softmax(${z}, dim=1)`,
  // torch's own: F.gelu's default is the exact erf form, as the engine's; SELU with torch's constants
  gelu: (z) => `F.gelu(${z})`,
  silu: (z) => `F.silu(${z})`,
  selu: (z) => `F.selu(${z})`,
};

const losses: readonly LossName[] = ["mse", "binary_cross_entropy", "cross_entropy", "mae", "huber"];

// Names a layer cannot take as an attribute of an nn.Module or a local of forward(); such a layer gets a trailing _.
const reserved = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
  "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
  "return", "try", "while", "with", "yield", "self", "torch", "nn", "F", "features", "logits", "dtype", "cast", "input_mean", "input_std",
  "add_module", "apply", "bfloat16", "buffers", "children", "cpu", "cuda", "double", "dump_patches", "eval", "extra_repr", "float",
  "forward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules",
  "named_buffers", "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook", "register_buffer",
  "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook", "register_load_state_dict_post_hook",
  "register_module", "register_parameter", "requires_grad_", "set_extra_state", "share_memory", "state_dict", "to", "to_empty",
  "train", "training", "type", "xpu", "zero_grad", "mtia", "compile", "Dropout",
]);

/** A Python number literal that reads back as the same double. */
export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new ExportError(`the value ${value} cannot be written to Python`);
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** Python names for the input and every layer: the .nnet name where Python allows it, unique. */
export function pythonNames(spec: NetworkSpec): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of [spec.input.name, ...spec.layers.map((l) => l.name)]) {
    let python = /^[A-Za-z][A-Za-z0-9_]*$/.test(name) ? name : `layer_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
    while (reserved.has(python) || taken.has(python)) python += "_";
    taken.add(python);
    names.set(name, python);
  }
  return names;
}

export function className(spec: NetworkSpec): string {
  const words = spec.name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
  return /^[A-Za-z]/.test(name) && !reserved.has(name) ? name : `Net${name}`;
}

function unsupported(what: string): never {
  throw new ExportError(`${what} has no PyTorch export`);
}

// What a layer kind becomes. A kind missing here (a new one) is refused by layerLines.
interface Lines { init?: string; forward: string[] }
const layerKinds: Record<string, (layer: LayerSpec, py: (name: string) => string, units: (name: string) => number, output: boolean) => Lines> = {
  dense: (layer, py, units, output) => {
    if (layer.kind !== "dense") unsupported(`layer '${layer.name}'`);
    const act = activations[layer.activation.name] ?? unsupported(`activation '${layer.activation.name}' of layer '${layer.name}'`);
    if (layer.activation.name === "softmax" && !output) unsupported(`softmax on '${layer.name}', which is not the output layer,`);
    const name = py(layer.name);
    const z = output ? `${name}_z` : name;
    const linear = `self.${name}(${py(layer.from)})`;
    // one line where the activation reads z once; elu and softplus read it twice, so z gets its own line
    const once = act("@", layer.activation).split("@").length <= 2;
    const forward = once && !output ? [`${name} = ${act(linear, layer.activation)}`] : [`${z} = ${linear}`, `${name} = ${act(z, layer.activation)}`];
    if (forward.length === 2 && forward[1] === `${name} = ${name}`) forward.pop();
    return { init: `self.${name} = nn.Linear(${units(layer.from)}, ${layer.units}, dtype=torch.float64)`, forward };
  },
  add: (layer, py) => ({ forward: [`${py(layer.name)} = ${(layer.from as string[]).map(py).join(" + ")}`] }),
  // model.py's Dropout: inverted dropout with the engine's masks when train.py gives them, the identity in eval()
  dropout: (layer, py) => {
    if (layer.kind !== "dropout") unsupported(`layer '${layer.name}'`);
    const name = py(layer.name);
    return { init: `self.${name} = Dropout(${pyNumber(layer.rate)}, ${layer.units})`, forward: [`${name} = self.${name}(${py(layer.from)})`] };
  },
  concat: (layer, py) => ({ forward: [`${py(layer.name)} = torch.cat([${(layer.from as string[]).map(py).join(", ")}], dim=1)`] }),
};

function layerLines(spec: NetworkSpec, names: Map<string, string>): { init: string[]; forward: string[] } {
  const units = new Map<string, number>([[spec.input.name, spec.input.units]]);
  const py = (name: string): string => names.get(name) ?? unsupported(`a reference to '${name}'`);
  const init: string[] = [];
  const forward: string[] = [];
  spec.layers.forEach((layer, i) => {
    const kind = (layer as { kind: string }).kind;
    const make = Object.hasOwn(layerKinds, kind) ? layerKinds[kind] : unsupported(`layer '${layer.name}' of kind '${kind}'`);
    const lines = make(layer, py, (name) => units.get(name) ?? unsupported(`a reference to '${name}'`), i === spec.layers.length - 1);
    if (lines.init) init.push(lines.init);
    forward.push(...lines.forward);
    units.set(layer.name, layer.units);
  });
  return { init, forward };
}

/** Refuses, naming it, any construct of the spec PyTorch export cannot express. */
export function checkExportable(spec: NetworkSpec): void {
  if (!losses.includes(spec.loss)) unsupported(`loss '${spec.loss}'`);
  if (spec.layers.length === 0) unsupported(`a network without layers`);
  layerLines(spec, pythonNames(spec));
}

const dropoutPy = `class Dropout(nn.Module):
    """Inverted dropout, the identity in eval() mode. While training it multiplies by \`mask\` (one row per
    example) when train.py has set one, the engine's own; otherwise it draws from torch's generator as nn.Dropout."""

    def __init__(self, p, units):
        super().__init__()
        self.p, self.units, self.mask = p, units, None

    def forward(self, a):
        if not self.training:
            return a
        if self.mask is None:
            return F.dropout(a, self.p, training=True)
        return self.mask.to(a.dtype) * a


`;

export function modelPy(spec: NetworkSpec, features: string[], from: string, standardised: boolean): string {
  const names = pythonNames(spec);
  const { init, forward } = layerLines(spec, names);
  const output = spec.layers[spec.layers.length - 1];
  const out = names.get(output.name) as string;
  const logits = output.kind === "dense" ? `${out}_z` : out;
  const cls = className(spec);
  const input = names.get(spec.input.name) as string;
  const dropoutClass = spec.layers.some((l) => l.kind === "dropout") ? dropoutPy : "";
  return `"""${spec.name} as a PyTorch module, exported by NNet Lab from ${from}.

The module takes RAW features, in this order: ${features.join(", ")}.
${standardised ? `Its first step is the standardisation the engine fitted on the training split,
(x - mean) / std in float64, with mean and std kept as buffers.` : `The engine does not standardise this data: the buffers mean and std of the
first step, (x - mean) / std in float64, are 0 and 1.`}
"""
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from checkpoint import load_state


${dropoutClass}class ${cls}(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("input_mean", torch.zeros(${spec.input.units}, dtype=torch.float64))
        self.register_buffer("input_std", torch.ones(${spec.input.units}, dtype=torch.float64))
        self.dtype = torch.float64
${init.map((line) => `        ${line}`).join("\n")}

    def cast(self, dtype):
        """Runs the layers in dtype (float32 for speed); the standardisation stays float64."""
        self.dtype = dtype
        for layer in self.modules():
            if isinstance(layer, nn.Linear):
                layer.to(dtype)
        return self

    def forward(self, features, logits=False):
        """The output for a batch (one example per row); with logits=True, (z, output) of the output layer."""
        ${input} = ((features.to(torch.float64) - self.input_mean) / self.input_std).to(self.dtype)
${forward.map((line) => `        ${line}`).join("\n")}
        return (${logits}, ${out}) if logits else ${out}


def load_model(path=Path(__file__).resolve().parent / "weights.safetensors"):
    """The module with the weights in path (the exported ones by default)."""
    model = ${cls}()
    model.load_state_dict(load_state(path))
    return model
`;
}
