"""Replays NNet Lab training runs in PyTorch (float64): the same initial weights, batches,
optimizer (torch.optim) and per-epoch scheduler (torch.optim.lr_scheduler).
Reads a JSON list of runs on stdin, prints one answer per run:
  chain runs (layers, x, y, batch, train) -> the final weights and each epoch's learning rate
  {"kind": "dag", spec, params, x, y, orders, batch, train} -> the same for a DAG, written by torch_oracle.py's forward and loss
  {"kind": "schedule", schedule, lr, epochs, count} -> the scheduler's rates for `count` epochs of a run planned for `epochs`
"""
import json
import os
import sys

import torch
from torch.optim import lr_scheduler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine"))
from torch_oracle import forward, loss_of  # noqa: E402  the oracle's networks, one definition

torch.set_default_dtype(torch.float64)
ACTIVATIONS = {"identity": lambda z: z, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}


def optimizer_of(spec, weights, biases):
    groups = [{"params": weights}, {"params": biases}]
    name = spec["name"]
    if name == "sgd":
        return torch.optim.SGD(groups, lr=spec["lr"], momentum=spec["momentum"], nesterov=spec.get("nesterov", False))
    if name == "adam":
        return torch.optim.Adam(groups, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]), eps=spec["eps"])
    if name == "adamw":
        # the engine decays W only: the biases' group has no weight decay
        groups[0]["weight_decay"], groups[1]["weight_decay"] = spec["weightDecay"], 0.0
        return torch.optim.AdamW(groups, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]), eps=spec["eps"])
    if name == "rmsprop":
        return torch.optim.RMSprop(groups, lr=spec["lr"], alpha=spec["rho"], eps=spec["eps"], momentum=spec["momentum"])
    raise ValueError(name)


def scheduler_of(spec, optimizer, epochs):
    if spec is None:
        return None
    warmup = spec["warmup"]
    name = spec["name"]
    if name == "constant":
        main = lr_scheduler.LambdaLR(optimizer, lambda k: 1.0)
    elif name == "step":
        main = lr_scheduler.StepLR(optimizer, step_size=spec["every"], gamma=spec["gamma"])
    elif name == "exponential":
        main = lr_scheduler.ExponentialLR(optimizer, gamma=spec["gamma"])
    else:
        main = lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs - warmup, eta_min=spec["minLr"])
    if warmup == 0:
        return main
    ramp = lr_scheduler.LinearLR(optimizer, start_factor=1 / (warmup + 1), end_factor=1.0, total_iters=warmup)
    return lr_scheduler.SequentialLR(optimizer, [ramp, main], milestones=[warmup])


def replay(run):
    layers = [(torch.tensor(l["W"], dtype=torch.float64).reshape(l["units"], l["fanIn"]).requires_grad_(), torch.tensor(l["b"], dtype=torch.float64).requires_grad_(), l["activation"]) for l in run["layers"]]
    x, y = torch.tensor(run["x"], dtype=torch.float64), torch.tensor(run["y"], dtype=torch.float64)
    train = run["train"]
    optimizer = optimizer_of(train["optimizer"], [W for W, _, _ in layers], [b for _, b, _ in layers])
    scheduler = scheduler_of(train.get("schedule"), optimizer, train["epochs"])
    lrs = []
    for _ in range(train["epochs"]):
        lrs.append(optimizer.param_groups[0]["lr"])
        for start in range(0, x.shape[0], run["batch"]):
            a, target = x[start:start + run["batch"]], y[start:start + run["batch"]]
            for W, b, activation in layers:
                a = ACTIVATIONS[activation](a @ W.T + b)
            loss = 0.5 * ((a - target) ** 2).sum() / a.shape[0]
            optimizer.zero_grad()
            loss.backward()
            with torch.no_grad():  # l2: λW added to the gradient of W, as torch's coupled weight_decay
                for W, _, _ in layers:
                    W.grad.add_(W, alpha=train["l2"])
            optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return {"layers": [{"W": W.detach().flatten().tolist(), "b": b.detach().tolist()} for W, b, _ in layers], "lrs": lrs}


def replay_dag(run):
    """Mini-batches in each epoch's given order, each a step of torch.optim on the mean loss plus l2's λW."""
    params = {p["layer"]: (torch.tensor(p["W"], dtype=torch.float64).requires_grad_(), torch.tensor(p["b"], dtype=torch.float64).requires_grad_()) for p in run["params"]}
    train = run["train"]
    optimizer = optimizer_of(train["optimizer"], [W for W, _ in params.values()], [b for _, b in params.values()])
    scheduler = scheduler_of(train.get("schedule"), optimizer, train["epochs"])
    for W, b in params.values():  # a layer that does not reach the output still takes l2 and weight decay, as in the engine
        W.grad, b.grad = torch.zeros_like(W), torch.zeros_like(b)
    lrs = []
    for epoch in range(train["epochs"]):
        lrs.append(optimizer.param_groups[0]["lr"])
        order = run["orders"][epoch]  # the engine's shuffle of the examples in this epoch
        for start in range(0, len(order), run["batch"]):
            rows = order[start:start + run["batch"]]
            batch = {"spec": run["spec"], "x": [run["x"][i] for i in rows], "y": [run["y"][i] for i in rows], "masks": {}}
            a, z = forward(batch, params)
            loss = loss_of(batch, a, z)
            optimizer.zero_grad(set_to_none=False)
            loss.backward()
            with torch.no_grad():
                for W, _ in params.values():
                    W.grad.add_(W, alpha=train["l2"])
            optimizer.step()
        scheduler.step()
    return {"layers": {name: {"W": W.detach().flatten().tolist(), "b": b.detach().tolist()} for name, (W, b) in params.items()}, "lrs": lrs}


def schedule_rates(run):
    """The rate of each of `count` epochs, scheduler.step() after each, for a run planned to last `epochs`."""
    W = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([W], lr=run["lr"])
    scheduler = scheduler_of(run["schedule"], optimizer, run["epochs"])
    rates = []
    for _ in range(run["count"]):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


handlers = {"chain": replay, "dag": replay_dag, "schedule": schedule_rates}
print(json.dumps([handlers[run.get("kind", "chain")](run) for run in json.load(sys.stdin)]))
