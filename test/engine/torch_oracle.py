"""An independent float64 oracle: each case's network written again with
torch.nn.functional from its spec, differentiated by torch's autograd.

Reads a JSON list of cases on stdin and prints one JSON list of answers:
  {"kind": "gradients", spec, params, x, y, masks} -> loss and dC/dW, dC/db
  {"kind": "activations", names, z} -> sigma(z) and sigma'(z) per name
  {"kind": "train", spec, params, x, y, lr, l1, l2, steps} -> W, b after full-batch sgd steps
Batches are examples by rows here (z = a W^T + b); the engine's are columns.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def activate(spec, z):
    name = spec["name"]
    alpha = spec.get("alpha")
    if name == "identity":
        return z
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return F.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, 0.01 if alpha is None else alpha)
    if name == "elu":
        return F.elu(z, 1.0 if alpha is None else alpha)
    if name == "softplus":
        return F.softplus(z)
    if name == "softmax":
        return F.softmax(z, dim=1)
    if name == "gelu":
        return F.gelu(z)  # approximate='none': the exact erf form
    if name == "silu":
        return F.silu(z)
    if name == "selu":
        return F.selu(z)
    raise ValueError(f"unknown activation {name}")


def forward(case, params):
    spec = case["spec"]
    x = torch.tensor(case["x"], dtype=torch.float64)
    values = {spec["input"]["name"]: x}
    last_z = None
    for layer in spec["layers"]:
        kind = layer["kind"]
        if kind == "dense":
            W, b = params[layer["name"]]
            last_z = values[layer["from"]] @ W.T + b
            values[layer["name"]] = activate(layer["activation"], last_z)
        elif kind == "dropout":
            # the engine's mask, fixed: m is 0 or 1/(1 - p), as F.dropout scales
            values[layer["name"]] = values[layer["from"]] * torch.tensor(case["masks"][layer["name"]], dtype=torch.float64)
            last_z = None
        elif kind == "add":
            values[layer["name"]] = sum(values[f] for f in layer["from"])
            last_z = None
        else:
            values[layer["name"]] = torch.cat([values[f] for f in layer["from"]], dim=1)
            last_z = None
    return values[spec["layers"][-1]["name"]], last_z


def loss_of(case, a, z):
    spec = case["spec"]
    y = torch.tensor(case["y"], dtype=torch.float64)
    m = y.shape[0]
    loss = spec["loss"]
    output = spec["layers"][-1]
    act = output.get("activation", {}).get("name")
    # the engine sums over output units and averages over the batch
    if loss == "mse":
        return 0.5 * F.mse_loss(a, y, reduction="sum") / m
    if loss == "mae":
        return F.l1_loss(a, y, reduction="sum") / m
    if loss == "huber":
        return F.huber_loss(a, y, reduction="sum", delta=spec.get("huberDelta", 1.0)) / m
    if loss == "cross_entropy" and act == "softmax":
        return -(y * F.log_softmax(z, dim=1)).sum() / m
    if loss == "binary_cross_entropy" and act == "sigmoid":
        return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / m
    raise ValueError(f"no oracle for {loss} on {act}")


def leaf_params(case):
    params = {}
    for p in case["params"]:
        W = torch.tensor(p["W"], dtype=torch.float64, requires_grad=True)
        b = torch.tensor(p["b"], dtype=torch.float64, requires_grad=True)
        params[p["layer"]] = (W, b)
    return params


def gradients(case):
    params = leaf_params(case)
    a, z = forward(case, params)
    loss = loss_of(case, a, z)
    loss.backward()
    # a layer that never reaches the output gets no gradient: 0, as in the engine
    grad = lambda t: (t.grad if t.grad is not None else torch.zeros_like(t)).flatten().tolist()
    return {"loss": loss.item(), "grads": {name: {"W": grad(W), "b": grad(b)} for name, (W, b) in params.items()}}


def activations(case):
    z = torch.tensor(case["z"], dtype=torch.float64, requires_grad=True)
    out = {}
    for name in case["names"]:
        if z.grad is not None:
            z.grad = None
        a = activate({"name": name}, z)
        a.sum().backward()
        out[name] = {"value": a.detach().tolist(), "slope": z.grad.tolist()}
    # torch forms gelu with 1 + erf and selu with e^z - 1, which cancel in the lower tail and near 0;
    # Python's math.erfc and math.expm1 give references without that cancellation
    zs = case["z"]
    phi = [0.5 * math.erfc(-v / math.sqrt(2)) for v in zs]
    density = [math.exp(-0.5 * v * v) / math.sqrt(2 * math.pi) if abs(v) < 1e150 else 0.0 for v in zs]
    out["gelu_reference"] = {
        "value": [v * p for v, p in zip(zs, phi)],
        "slope": [p + (v * d if d else 0.0) for v, p, d in zip(zs, phi, density)],
    }
    scale, alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
    out["selu_reference"] = {
        "value": [scale * v if v > 0 else scale * alpha * math.expm1(v) for v in zs],
        "slope": [scale if v > 0 else scale * alpha * math.exp(v) for v in zs],
    }
    return out


def train(case):
    """Full-batch sgd on C + l1 sum|W| + l2/2 sum W^2 (weights only), as the engine's optimizer."""
    params = leaf_params(case)
    for _ in range(case["steps"]):
        a, z = forward(case, params)
        loss = loss_of(case, a, z)
        for W, _b in params.values():
            loss = loss + case["l1"] * W.abs().sum() + 0.5 * case["l2"] * (W * W).sum()
        for W, b in params.values():
            W.grad = None
            b.grad = None
        loss.backward()
        with torch.no_grad():
            for W, b in params.values():
                if b.grad is not None:
                    b -= case["lr"] * b.grad
                if W.grad is not None:
                    W -= case["lr"] * W.grad
    return {name: {"W": W.detach().flatten().tolist(), "b": b.detach().tolist()} for name, (W, b) in params.items()}


if __name__ == "__main__":  # test/training/torch_replay.py imports forward and loss_of
    handlers = {"gradients": gradients, "activations": activations, "train": train}
    cases = json.load(sys.stdin)
    print(json.dumps([handlers[case["kind"]](case) for case in cases]))
