/** train.py: the engine's training loop in PyTorch, on one process or under torchrun. */
export const trainPy = String.raw`"""Trains the exported model the way NNet Lab does: same loss, optimizer,
batches, epochs and seed, starting from weights.safetensors.

    python train.py [--epochs N] [--dtype float32] [--json]
    torchrun --nproc_per_node N train.py        # DistributedDataParallel
    # Debian's torch 1.13 on Python 3.11: torchrun --nproc_per_node N --redirects 1 --tee 1 train.py

Each global batch of the engine's order is split across the processes, so N
processes take the same steps as one (up to rounding). Dropout layers get the
engine's own masks (engine_rng.py); --torch-dropout draws them from torch's
generator instead, as nn.Dropout does, which is faster and no longer exact.
"""
import argparse
import json
import os
import math
import struct

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from checkpoint import load_state, save_state
from data import HERE, load_config, load_split
from engine_rng import EngineRng
from model import load_model

CLIP = 1e-12  # the engine's clipping of a in the cross-entropies it cannot fuse


def loss_sum(config, z, a, y):
    """The engine's loss (server/src/engine/losses.ts) summed over the examples; z and a of the output layer."""
    loss, rule = config["loss"], config["output_rule"]
    if loss == "mse":
        return 0.5 * ((a - y) ** 2).sum()
    if loss == "mae":
        return (a - y).abs().sum()
    if loss == "huber":
        return F.huber_loss(a, y, reduction="sum", delta=config["huber_delta"])
    if rule == "fused-sigmoid-binary-cross-entropy":
        return (torch.clamp(z, min=0) - z * y + torch.log1p(torch.exp(-z.abs()))).sum()
    if rule == "fused-softmax-cross-entropy":
        return (y * (torch.logsumexp(z, dim=1, keepdim=True) - z)).sum()
    p = torch.clamp(a, CLIP, 1 - CLIP)
    if loss == "binary_cross_entropy":
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum()
    return -(y * torch.log(p)).sum()


def correct(config, a, y):
    """Right answers as the engine counts them (server/src/engine/evaluate.ts): with binary cross-entropy or one
    output, each unit is a label decided at 0.5 and an example counts the share of its labels decided right;
    otherwise the argmax."""
    if config["loss"] == "binary_cross_entropy" or a.shape[1] == 1:
        return ((a >= 0.5) == (y >= 0.5)).to(torch.float64).mean(dim=1).sum()
    return (a.argmax(dim=1) == y.argmax(dim=1)).sum()


def make_optimizer(model, spec, l2):
    # l2 is added to the gradient of the weights only, before the update, as the engine does; torch's
    # weight_decay in SGD, Adam and RMSprop (not AdamW) is exactly that, so the biases go in a group without it.
    weights = [p for name, p in model.named_parameters() if name.endswith(".weight")]
    biases = [p for name, p in model.named_parameters() if not name.endswith(".weight")]
    groups = [{"params": weights, "weight_decay": l2}, {"params": biases, "weight_decay": 0.0}]
    name = spec["name"]
    if name == "sgd":
        return torch.optim.SGD(groups, lr=spec["lr"], momentum=spec["momentum"], nesterov=bool(spec.get("nesterov", False)))
    if name == "rmsprop":
        return torch.optim.RMSprop(groups, lr=spec["lr"], alpha=spec["rho"], eps=spec["eps"], momentum=spec["momentum"])
    if name == "adamw":
        # AdamW's weight_decay is decoupled (W only, as the engine); l2 is then added to the gradient by add_l2
        groups[0]["weight_decay"] = spec["weightDecay"]
        return torch.optim.AdamW(groups, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]), eps=spec["eps"])
    return torch.optim.Adam(groups, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]), eps=spec["eps"])


def add_l2(model, spec, l2):
    """AdamW only: the engine's l2 (λW on the weights' gradient), which AdamW's own weight_decay is not."""
    if spec["name"] != "adamw" or l2 == 0:
        return
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(".weight"):
                p.grad.add_(p, alpha=l2)


def learning_rate(train, epoch, last):
    """The engine's rate for an epoch: the closed forms of torch's LinearLR warmup, then StepLR,
    ExponentialLR or CosineAnnealingLR (T_max = last - warmup), stepped once per epoch."""
    lr, schedule = train["optimizer"]["lr"], train.get("schedule")
    if schedule is None:
        return lr
    done, warmup = epoch - 1, schedule["warmup"]
    if done < warmup:
        return lr * (done + 1) / (warmup + 1)
    k = done - warmup
    if schedule["name"] == "step":
        return lr * schedule["gamma"] ** (k // schedule["every"])
    if schedule["name"] == "exponential":
        return lr * schedule["gamma"] ** k
    if schedule["name"] == "cosine":
        period = max(1, last - warmup)
        return schedule["minLr"] + (lr - schedule["minLr"]) * (1 + math.cos(math.pi * min(k, period) / period)) / 2
    return lr


class EarlyStop:
    """stop_early: the best epoch's weights are kept; 'patience' epochs without improvement end the run."""

    def __init__(self, spec):
        self.spec, self.best, self.best_epoch, self.state, self.wait = spec, None, 0, None, 0

    def observe(self, report, model):
        key = {"loss": "loss", "val_loss": "valLoss", "val_accuracy": "valAccuracy"}[self.spec["monitor"]]
        value, delta = report[key], self.spec["minDelta"]
        higher = self.spec["monitor"] == "val_accuracy"
        if self.best is None or (value > self.best + delta if higher else value < self.best - delta):
            self.best, self.best_epoch, self.wait = value, report["epoch"], 0
            self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            return False
        self.wait += 1
        return self.wait >= self.spec["patience"]


def restore_moments(optimizer, model, spec, path):
    """Continues from the engine's optimizer state (optimizer.safetensors, in a trained model's export)."""
    moments = load_state(path)
    with open(path, "rb") as f:  # the step count is in the header's metadata
        (length,) = struct.unpack("<Q", f.read(8))
        step = int(json.loads(f.read(length))["__metadata__"]["step"])
    for name, p in model.named_parameters():
        first = moments[name + ".first"].to(p.device, p.dtype)
        if spec["name"] == "sgd":
            if spec["momentum"] != 0:
                optimizer.state[p] = {"momentum_buffer": first}
        else:
            second = moments[name + ".second"].to(p.device, p.dtype)
            optimizer.state[p] = {"step": torch.tensor(float(step)), "exp_avg": first, "exp_avg_sq": second}


class EngineMasks:
    """The engine's dropout masks: one stream, Rng.derive(seed, "dropout"), drawn for every dropout layer in the
    network's order at each global batch; each process keeps its examples' rows. A resumed run skips the draws
    of the epochs before it, as the engine does."""

    def __init__(self, layers, seed, n, first):
        self.layers, self.rng = layers, EngineRng.derive(seed, "dropout")
        self.rng.skip(sum(layer.units for layer in layers) * n * (first - 1))

    def draw(self, examples, rank, world, device):
        for layer in self.layers:
            mask = torch.tensor(self.rng.dropout_mask(layer.p, layer.units, examples), dtype=torch.float64)
            layer.mask = mask[rank::world].to(device)


class TorchMasks:
    def draw(self, examples, rank, world, device):
        pass


def engine_masks(model, train, n, first, torch_dropout):
    layers = [m for m in model.modules() if type(m).__name__ == "Dropout"]
    return EngineMasks(layers, train["seed"], n, first) if layers and not torch_dropout else TorchMasks()


def epoch_orders(config, n, epochs, same_order):
    """Each epoch's order of the training rows: the engine's (order.npy), a seeded permutation, or as stored."""
    train = config["train"]
    if same_order:
        import numpy

        orders = numpy.load(HERE / "order.npy")
        if orders.shape[0] < epochs:
            raise SystemExit(f"order.npy holds {orders.shape[0]} epochs; export again for more, or train without --same-order")
        for epoch in range(epochs):
            yield torch.from_numpy(orders[epoch].astype("int64"))
        return
    generator = torch.Generator().manual_seed(train["seed"])
    for _ in range(epochs):
        yield torch.randperm(n, generator=generator) if train["shuffle"] else torch.arange(n)


def main():
    config = load_config()
    train = config["train"]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=train["epochs"])
    parser.add_argument("--batch", type=int, default=None, help="global batch size (default: the .nnet file's)")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--weights", default=str(HERE / "weights.safetensors"), help="the weights to start from")
    parser.add_argument("--moments", default=str(HERE / "optimizer.safetensors"),
                        help="the optimizer state to continue from, when the export has one ('' for none)")
    parser.add_argument("--save", default="trained.safetensors", help="where to write the trained weights")
    parser.add_argument("--same-order", action=argparse.BooleanOptionalAction, default=config["same_order"],
                        help="replay the engine's shuffling order from order.npy (default: on when exported with it)")
    parser.add_argument("--json", action="store_true", help="one JSON object per epoch")
    parser.add_argument("--torch-dropout", action="store_true",
                        help="draw dropout masks from torch's generator, as nn.Dropout does, instead of the engine's")
    args = parser.parse_args()
    dtype = getattr(torch, args.dtype)

    distributed = "WORLD_SIZE" in os.environ  # set by torchrun
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
        local = int(os.environ.get("LOCAL_RANK", 0))
        device = torch.device("cuda", local) if torch.cuda.is_available() else torch.device("cpu")
        if device.type == "cuda":
            torch.cuda.set_device(device)
    else:
        rank, world = 0, 1
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(train["seed"])

    model = load_model(args.weights).cast(dtype).to(device)
    net = model
    if distributed:
        ids = [device.index] if device.type == "cuda" else None
        net = DistributedDataParallel(model, device_ids=ids, find_unused_parameters=bool(config["unreached_layers"]))
    optimizer = make_optimizer(model, train["optimizer"], train["l2"])
    if args.moments and os.path.exists(args.moments):
        restore_moments(optimizer, model, train["optimizer"], args.moments)
    for p in model.parameters():
        p.grad = torch.zeros_like(p)  # a layer that does not reach the output still decays and keeps momentum

    (x, y), validation = load_split()
    x, y = x.to(device), y.to(device, dtype)
    n = x.shape[0]
    batch = args.batch or (n if train["batch"] == "full" else min(n, int(train["batch"])))
    first = config["first_epoch"]
    last = first + args.epochs - 1
    stopper = EarlyStop(train["stopEarly"]) if train.get("stopEarly") else None
    masks = engine_masks(model, train, n, first, args.torch_dropout)
    for epoch, order in enumerate(epoch_orders(config, n, args.epochs, args.same_order), start=first):
        lr = learning_rate(train, epoch, last)
        for group in optimizer.param_groups:
            group["lr"] = lr
        net.train()
        totals = torch.zeros(2, dtype=torch.float64, device=device)  # loss summed over examples, right answers
        for start in range(0, n, batch):
            rows = order[start : start + batch]
            mine = rows[rank::world].to(device)  # this process's share of the global batch
            masks.draw(len(rows), rank, world, device)
            z, a = net(x[mine], logits=True)
            total = loss_sum(config, z, a, y[mine])
            optimizer.zero_grad(set_to_none=False)
            # the engine's loss is the mean over the global batch; DDP averages the processes' gradients, hence * world
            (total * (world / len(rows))).backward()
            add_l2(model, train["optimizer"], train["l2"])
            if train.get("l1", 0):
                # l1 adds l1 * sign(W) to the weights' gradient (0 at W = 0), as the engine does
                with torch.no_grad():
                    for name, p in model.named_parameters():
                        if name.endswith(".weight"):
                            p.grad.add_(torch.sign(p), alpha=train["l1"])
            optimizer.step()
            totals[0] += total.detach().to(torch.float64)
            totals[1] += correct(config, a.detach(), y[mine])
        if distributed:
            dist.all_reduce(totals)
        report = {"epoch": epoch, "loss": totals[0].item() / n, "lr": lr}
        if config["classification"]:
            report["accuracy"] = totals[1].item() / n
        if validation is not None:
            model.eval()
            with torch.no_grad():
                vx, vy = validation[0].to(device), validation[1].to(device, dtype)
                z, a = model(vx, logits=True)
                report["valLoss"] = loss_sum(config, z, a, vy).item() / vx.shape[0]
                if config["classification"]:
                    report["valAccuracy"] = correct(config, a, vy).item() / vx.shape[0]
        if rank == 0:
            if args.json:
                print(json.dumps(report), flush=True)
            else:
                labels = {"loss": "loss", "accuracy": "accuracy", "valLoss": "val loss", "valAccuracy": "val accuracy", "lr": "lr"}
                shown = "  ".join(f"{labels[k]} {v:.6g}" for k, v in report.items() if k != "epoch")
                print(f"epoch {epoch}/{first + args.epochs - 1}  {shown}", flush=True)
        if stopper is not None and stopper.observe(report, model):
            model.load_state_dict(stopper.state)
            if rank == 0 and not args.json:
                print(f"stopped early at epoch {epoch}: {stopper.spec['monitor']} did not improve for {stopper.spec['patience']} epochs; kept the weights of epoch {stopper.best_epoch}")
            break
    if rank == 0:
        save_state(args.save, model.state_dict(), {"network": config["network"], "epochs": first + args.epochs - 1})
        if not args.json:
            print(f"saved the trained weights to {args.save}")
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
