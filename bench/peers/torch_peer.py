"""PyTorch peer for bench/engine.ts: the same workloads, float64, one thread.

Reads a JSON job on stdin: {"workloads": [{"name", "widths", "activations",
"loss", "lr", "batch", "examples", "x", "y"}], "runs", "warmup"} where x and y
name raw little-endian float64 files (features x n and targets x n, row-major,
one example per column, as the engine stores them). Prints one JSON object
with the examples/s of each run by CPU time (process_time) and by wall clock.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

ACTIVATIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda z: z}


def build(widths):
    layers = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        limit = (6.0 / (fan_in + fan_out)) ** 0.5
        w = (torch.rand(fan_out, fan_in) * 2 - 1) * limit
        layers.append((w.requires_grad_(), torch.zeros(fan_out, 1, requires_grad=True)))
    return layers


def loss_of(layers, activations, loss, x, y):
    a = x
    for (w, b), act in zip(layers[:-1], activations[:-1]):
        a = ACTIVATIONS[act](w @ a + b)
    w, b = layers[-1]
    z = w @ a + b
    m = x.shape[1]
    if loss == "cross_entropy":  # softmax + cross-entropy from z, column-wise
        return -(y * torch.log_softmax(z, dim=0)).sum() / m
    out = ACTIVATIONS[activations[-1]](z)
    return 0.5 * ((out - y) ** 2).sum() / m


def run_once(job, layers, x, y):
    params = [p for layer in layers for p in layer]
    n = x.shape[1]
    batch = job["batch"]
    order = torch.randperm(n)
    start = time.perf_counter()
    cpu = time.process_time()
    for s in range(0, n, batch):
        idx = order[s:s + batch]
        loss = loss_of(layers, job["activations"], job["loss"], x[:, idx], y[:, idx])
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= job["lr"] * p.grad
    return n / (time.process_time() - cpu), n / (time.perf_counter() - start)


def main():
    request = json.load(sys.stdin)
    results = {}
    for job in request["workloads"]:
        widths = job["widths"]
        n = job["examples"]
        x = torch.from_numpy(np.fromfile(job["x"], dtype="<f8").reshape(widths[0], n).copy())
        y = torch.from_numpy(np.fromfile(job["y"], dtype="<f8").reshape(widths[-1], n).copy())
        torch.manual_seed(1)
        layers = build(widths)
        for _ in range(request["warmup"]):
            run_once(job, layers, x, y)
        rates = [run_once(job, layers, x, y) for _ in range(request["runs"])]
        results[job["name"]] = {"cpu": [r[0] for r in rates], "wall": [r[1] for r in rates]}
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()
