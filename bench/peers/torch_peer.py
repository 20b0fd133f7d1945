"""PyTorch peer for bench/engine.ts, in the fastest idiomatic form we know:
row-major contiguous tensors, nn.Linear layers, torch.optim.SGD, one row
gather per epoch and contiguous batch slices.

Started once per thread count (argv[1]) with OPENBLAS_NUM_THREADS set by the
caller, and kept alive so its rounds interleave with the engine's. Speaks
JSON lines on stdin/stdout:
  start  -> {"torch", "threads", "blas": [paths], "openblas": {...} | null,
             "built": BLAS_INFO from torch's build settings, "mkl": bool}
  {"op": "load", "id", "widths", "activations", "loss", "lr", "batch",
   "examples", "x", "y"}                     -> {"ok": true}
  {"op": "run", "id", "dtype": "float64" | "float32", "epochs"}
                                             -> {"wall": s, "cpu": s}
x and y name raw little-endian float64 files, n x features, one example per
row (the engine's layout), read once before timing.
"""
import ctypes
import json
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

threads = int(sys.argv[1])
torch.set_num_threads(threads)

ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}
DTYPES = {"float64": torch.float64, "float32": torch.float32}


def blas_info():
    """The BLAS libraries mapped into this process, and OpenBLAS's own view of itself."""
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    info = None
    for path in libs:
        if "libopenblas" in path:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            info = {"corename": lib.openblas_get_corename().decode(), "config": lib.openblas_get_config().decode(),
                    "threads": lib.openblas_get_num_threads()}
    return libs, info


def built_blas():
    """The BLAS torch was built against (BLAS_INFO): generic for Debian's, which loads libblas.so.3; mkl for PyPI's wheels."""
    found = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return found.group(1) if found else "unknown"


def build(job, dtype):
    torch.manual_seed(1)
    layers = []
    widths, acts = job["widths"], job["activations"]
    for l, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        linear = nn.Linear(fan_in, fan_out, dtype=dtype)
        nn.init.xavier_uniform_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        last = l == len(widths) - 2
        # softmax + cross-entropy is fused in F.cross_entropy, as the engine fuses it
        if acts[l] in ACTIVATIONS and not (last and job["loss"] == "cross_entropy"):
            layers.append(ACTIVATIONS[acts[l]]())
    return nn.Sequential(*layers)


class Workload:
    def __init__(self, job):
        self.job = job
        n, widths = job["examples"], job["widths"]
        x = np.fromfile(job["x"], dtype="<f8").reshape(n, widths[0])
        y = np.fromfile(job["y"], dtype="<f8").reshape(n, widths[-1])
        self.x64 = torch.from_numpy(np.ascontiguousarray(x))
        self.y64 = torch.from_numpy(np.ascontiguousarray(y))
        self.labels = self.y64.argmax(dim=1)
        self.state = {}

    def prepared(self, name):
        if name not in self.state:
            dtype = DTYPES[name]
            model = build(self.job, dtype)
            x, y = self.x64.to(dtype).contiguous(), self.y64.to(dtype).contiguous()
            target = self.labels if self.job["loss"] == "cross_entropy" else y
            self.state[name] = (model, torch.optim.SGD(model.parameters(), lr=self.job["lr"], foreach=True), x, target)
        return self.state[name]

    def epoch(self, model, opt, x, target):
        n, batch = x.shape[0], self.job["batch"]
        perm = torch.randperm(n)
        xs, ts = x[perm], target[perm]  # one row gather; the batches below are contiguous views
        for s in range(0, n, batch):
            xb, tb = xs[s:s + batch], ts[s:s + batch]
            opt.zero_grad(set_to_none=True)
            out = model(xb)
            if self.job["loss"] == "cross_entropy":
                loss = F.cross_entropy(out, tb)
            else:  # the engine's mse: (1/2m) sum of squares
                loss = F.mse_loss(out, tb, reduction="sum") * (0.5 / xb.shape[0])
            loss.backward()
            opt.step()

    def run(self, dtype, epochs):
        model, opt, x, target = self.prepared(dtype)
        cpu, start = time.process_time(), time.perf_counter()
        for _ in range(epochs):
            self.epoch(model, opt, x, target)
        return {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def main():
    libs, openblas = blas_info()
    reply = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": libs, "openblas": openblas,
             "built": built_blas(), "mkl": torch.backends.mkl.is_available()}
    print(json.dumps(reply), flush=True)
    workloads = {}
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "load":
            workloads[request["id"]] = Workload(request)
            reply = {"ok": True}
        else:
            reply = workloads[request["id"]].run(request["dtype"], request["epochs"])
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
