"""Trains model.py's network in PyTorch as `nabla train` trained it, on one process or many.

Written by `nabla export RUN --pytorch OUT` beside model.py, recipe.json (the loss, optimizer,
schedule, batch size, seed and stopping rule of the nabla run), weights.safetensors,
data.safetensors and, when exported from a checkpoint, start.safetensors (the optimizer's state
and where the run stood).

    python train.py                               # one process
    torchrun --nproc_per_node 2 train.py          # DistributedDataParallel, gloo on CPU
    python train.py --max-steps 100 --out run2    # options: python train.py --help

(PyTorch 1.13 on Python 3.11, as in Debian 12, needs `torchrun --redirects 2 --tee 2 ...`: its
torchrun cannot read its own default of 0 for them there.)

The same as in nabla: the weights, the loss, the optimizer with its hyperparameters and state,
the learning-rate schedule, the batch size, the data and its order (each epoch's shuffle is drawn
from nabla's own generator, reimplemented in nabla_support.py), early stopping, the evaluation.
Not the same draws: dropout masks, random crops and input noise come from PyTorch's generator
(seeded with the recipe's seed), so runs that use them agree with nabla in distribution only.

With N processes every global batch (the batch nabla would take) is split into N equal parts, one
per process; each process's loss is weighted so that DistributedDataParallel's mean of the
gradients is the gradient of the whole batch. Batch normalization normalizes each part by its own
statistics, as it does under DistributedDataParallel anywhere.
"""

import argparse
import csv
import json
import math
import os
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from model import Net
from nabla_support import NablaGenerator, read_safetensors, write_safetensors

HERE = Path(__file__).resolve().parent
OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "Adagrad": torch.optim.Adagrad,
    "RMSprop": torch.optim.RMSprop,
}


def parse_args(recipe):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=recipe["epochs"], help="epochs at most")
    p.add_argument("--max-steps", type=int, default=recipe["max_steps"], help="steps at most")
    p.add_argument("--out", default="pytorch-run", help="folder for model.safetensors and history.csv")
    p.add_argument("--trace", help="write every step's loss and weights to this safetensors file")
    p.add_argument("--quiet", action="store_true", help="no line per epoch")
    return p.parse_args()


class Processes:
    """This process's place among the torchrun processes (one process without torchrun)."""

    def __init__(self):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        if self.world > 1:
            dist.init_process_group("gloo")
        self.rank = dist.get_rank() if self.world > 1 else 0

    def part(self, indices):
        """This process's rows of a global batch, and the share of the batch they stand for.

        Equal contiguous parts, the first ones larger; a batch of fewer rows than processes is
        taken whole by every process, each standing for 1/N of it.
        """
        if len(indices) < self.world:
            return indices, 1 / self.world
        sizes = [len(indices) // self.world + (r < len(indices) % self.world) for r in range(self.world)]
        start = sum(sizes[: self.rank])
        return indices[start : start + sizes[self.rank]], sizes[self.rank] / len(indices)

    def finish(self):
        """Waits for every process to be done, then leaves the group."""
        if self.world > 1:
            dist.barrier()
            dist.destroy_process_group()

    def total(self, value):
        """The sum of `value` over the processes."""
        if self.world == 1:
            return value
        t = torch.tensor([value], dtype=torch.float64)
        dist.all_reduce(t)
        return float(t[0])


def load_data(recipe, dtype):
    arrays, _ = read_safetensors(HERE / recipe["data"]["file"])
    shape = recipe["data"]["input_shape"]
    split = {}
    for name in ("train", "validation", "test"):
        if f"{name}.x" in arrays:
            x = torch.from_numpy(arrays[f"{name}.x"]).to(dtype).reshape(-1, *shape)
            y = torch.from_numpy(arrays[f"{name}.y"])
            split[name] = (x, y.long() if y.dtype in (torch.int32, torch.int64) else y.to(dtype))
    return split


def loss_function(kind, classes):
    if kind == "cross_entropy":
        return lambda out, y: F.cross_entropy(out, y)
    if kind == "softmax_mse":
        return lambda out, y: F.mse_loss(out.softmax(-1), F.one_hot(y, classes).to(out.dtype))
    if kind == "mse":
        return lambda out, y: F.mse_loss(out, y)
    raise ValueError(f"recipe.json: unknown loss {kind!r}")


def l2_penalty(model, lam):
    """nabla's explicit penalty: lambda/2 times the sum of squares of the weight matrices."""
    if lam == 0:
        return 0
    return lam / 2 * sum((p * p).sum() for p in model.parameters() if p.dim() >= 2)


def make_optimizer(spec, model, start_tensors):
    optimizer = OPTIMIZERS[spec["torch"]](model.parameters(), **spec["options"])
    if spec.get("state") is not None:
        params = list(model.parameters())
        state = {}
        for i, scalars in spec["state"].items():
            entry = {k: torch.tensor(float(v)) for k, v in scalars.items()}
            for key in spec["tensors"].get(i, []):
                entry[key] = torch.from_numpy(start_tensors[f"optimizer.{i}.{key}"]).to(params[int(i)].dtype)
            state[int(i)] = entry
        groups = [dict(spec["options"], params=list(range(len(params))), lr=spec["lr"])]
        optimizer.load_state_dict({"state": state, "param_groups": groups})
    return optimizer


def epoch_lr(recipe, epoch):
    """The learning rate of an epoch (from 1): the recipe's, or cosine-annealed as nabla anneals it."""
    s = recipe["schedule"]
    if s is None:
        return recipe["optimizer"]["lr"]
    c = (1 + math.cos(math.pi * (epoch - 1) / s["t_max"])) / 2
    return s["eta_min"] + (s["base_lr"] - s["eta_min"]) * c


def augment(x, spec):
    """Random crops of the zero-padded images (and mirror images) drawn from PyTorch's generator."""
    if spec is None:
        return x
    p, size = spec["padding"], x.shape[-1]
    padded = F.pad(x, (p, p, p, p))
    out = torch.empty_like(x)
    for i in range(x.shape[0]):
        top, left = torch.randint(0, 2 * p + 1, (2,)).tolist()
        out[i] = padded[i, :, top : top + size, left : left + size]
        if spec["flip"] and torch.rand(()) < 0.5:
            out[i] = out[i].flip(-1)
    return out


def evaluate(model, data, loss_fn, classification):
    """The mean loss (and accuracy) in evaluation mode, in batches of 256 as nabla evaluates."""
    model.eval()
    total = hits = 0.0
    x, y = data
    with torch.no_grad():
        for i in range(0, x.shape[0], 256):
            out = model(x[i : i + 256])
            n = out.shape[0]
            total += loss_fn(out, y[i : i + 256]).item() * n
            if classification:
                hits += (out.argmax(-1) == y[i : i + 256]).double().mean().item() * n
    model.train()
    n = x.shape[0]
    return total / n, (hits / n if classification else None)


class Stopping:
    """Early stopping, keeping the best weights (nabla's rule: patience epochs without a better score)."""

    def __init__(self, spec, state):
        self.spec = spec
        self.best, self.since, self.best_epoch = math.inf, 0, None
        if state is not None:
            self.best, self.since, self.best_epoch = state["best"], state["since_best"], state["best_epoch"]
        self.weights = None

    def observe(self, epoch, score, model):
        if self.spec is None:
            return False
        if score < self.best - self.spec["min_delta"] or self.best_epoch is None:
            self.best, self.best_epoch, self.since = min(score, self.best), epoch, 0
            if self.spec["restore_best_weights"]:
                self.weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            self.since += 1
        return self.since > 0 and self.since >= self.spec["patience"]


class Trace:
    """Every step's loss and weights (--trace), to compare with nabla's run step by step."""

    def __init__(self, path, model):
        self.path, self.model, self.arrays, self.losses, self.steps = path, model, {}, [], []

    def record(self, step, loss):
        if self.path is None:
            return
        self.losses.append(loss)
        self.steps.append(step)
        for name, t in self.model.state_dict().items():
            self.arrays[f"step{step}.{name}"] = t.detach().numpy().copy()

    def write(self):
        if self.path is not None:
            self.arrays["loss"] = np.array(self.losses, dtype=np.float64)
            self.arrays["step"] = np.array(self.steps, dtype=np.int32)
            write_safetensors(self.path, self.arrays)


class Run:
    """Where training stands: the epoch in progress, its batches done, steps, the epoch's sums."""

    def __init__(self, start):
        start = start or {}
        self.epoch = start.get("epoch", 1)
        self.batch = start.get("batch", 0)
        self.steps = start.get("steps", 0)
        self.sums = start.get("sums", {"loss": 0.0, "hits": 0.0, "seen": 0})


def train_epoch(ctx, run, order, lr):
    """The epoch's remaining batches; returns False when --max-steps stopped it."""
    model, net, opt, procs, recipe = ctx["model"], ctx["net"], ctx["optimizer"], ctx["procs"], ctx["recipe"]
    x_all, y_all = ctx["data"]["train"]
    size = ctx["batch_size"]
    for group in opt.param_groups:
        group["lr"] = lr
    batches = math.ceil(len(order) / size)
    while run.batch < batches:
        if ctx["max_steps"] is not None and run.steps >= ctx["max_steps"]:
            return False
        indices = order[run.batch * size : (run.batch + 1) * size]
        mine, share = procs.part(indices)
        x, y = x_all[mine], y_all[mine]
        if recipe["jitter"] > 0:
            x = x + torch.randn_like(x) * recipe["jitter"]
        out = net(augment(x, recipe["augment"]))
        loss = ctx["loss"](out, y)
        opt.zero_grad()
        # DistributedDataParallel averages the processes' gradients: weighted by their shares,
        # the average is the gradient of the whole batch's mean loss.
        (loss * (share * procs.world) + l2_penalty(model, recipe["l2"])).backward()
        opt.step()
        value = procs.total(loss.item() * share)
        hits = (out.argmax(-1) == y).double().sum().item() if ctx["classification"] else 0.0
        hits *= share * len(indices) / len(mine)
        run.batch += 1
        run.steps += 1
        run.sums["loss"] += value * len(indices)
        run.sums["hits"] += procs.total(hits)
        run.sums["seen"] += len(indices)
        ctx["trace"].record(run.steps, value)
    return ctx["max_steps"] is None or run.steps < ctx["max_steps"]


def end_epoch(ctx, run, lr, stopping, history):
    """The epoch's line in the history; whether early stopping ends the run."""
    seen = max(run.sums["seen"], 1)
    row = {"epoch": run.epoch, "loss": run.sums["loss"] / seen, "lr": lr}
    if ctx["classification"]:
        row["accuracy"] = run.sums["hits"] / seen
    if "validation" in ctx["data"]:
        row["val_loss"], row["val_accuracy"] = evaluate(ctx["model"], ctx["data"]["validation"], ctx["loss"], ctx["classification"])
    # Early stopping watches the validation loss, or the training loss without validation data.
    stop = stopping.observe(run.epoch, row.get("val_loss", row["loss"]), ctx["model"])
    history.append(row)
    if ctx["procs"].rank == 0 and not ctx["quiet"]:
        print(" ".join(f"{k} {v:.6g}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items() if v is not None), flush=True)
    run.epoch, run.batch, run.sums = run.epoch + 1, 0, {"loss": 0.0, "hits": 0.0, "seen": 0}
    return stop


def save(ctx, out, history):
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().numpy() for k, v in ctx["model"].state_dict().items()}
    write_safetensors(out / "model.safetensors", weights, {"format": "pt"})
    with open(out / "history.csv", "w", newline="") as f:
        columns = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"]
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(history)


def setup(recipe, args):
    procs = Processes()
    torch.manual_seed(recipe["seed"] + procs.rank)
    weights, _ = read_safetensors(HERE / recipe["model"]["weights"])
    dtype = getattr(torch, recipe["model"]["dtype"])
    model = Net().to(dtype)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
    start = recipe["start"]
    start_tensors = read_safetensors(HERE / start["file"])[0] if start is not None else {}
    data = load_data(recipe, dtype)
    n = data["train"][0].shape[0]
    classification = recipe["loss"] != "mse"
    return {
        "recipe": recipe,
        "procs": procs,
        "model": model,
        "net": DistributedDataParallel(model) if procs.world > 1 else model,
        "optimizer": make_optimizer(recipe["optimizer"], model, start_tensors),
        "data": data,
        "loss": loss_function(recipe["loss"], recipe["data"]["classes"]),
        "classification": classification,
        "batch_size": n if recipe["batch_size"] == "full" else recipe["batch_size"],
        "max_steps": args.max_steps,
        "quiet": args.quiet,
        "trace": Trace(args.trace if procs.rank == 0 else None, model),
        "start_tensors": start_tensors,
    }


def main():
    recipe = json.loads((HERE / "recipe.json").read_text())
    args = parse_args(recipe)
    ctx = setup(recipe, args)
    start = recipe["start"]
    run = Run(start)
    generator = NablaGenerator(recipe["seed"])
    if start is not None:
        generator.set_state(start["generator"])
    stopping = Stopping(recipe["early_stopping"], start and start["stopping"])
    best = {k[5:]: torch.from_numpy(v) for k, v in ctx["start_tensors"].items() if k.startswith("best.")}
    stopping.weights = best or None
    history = list(start["history"]) if start is not None else []
    n = ctx["data"]["train"][0].shape[0]
    going = True
    while going and run.epoch <= args.epochs:
        resumed = start is not None and run.epoch == start["epoch"] and "order" in ctx["start_tensors"]
        if resumed:
            order = ctx["start_tensors"]["order"].astype(np.int64)
        else:
            order = generator.permutation(n) if recipe["shuffle"] else np.arange(n)
        lr = epoch_lr(recipe, run.epoch)
        going = train_epoch(ctx, run, order, lr)
        if end_epoch(ctx, run, lr, stopping, history):
            going = False
    if stopping.weights is not None:
        ctx["model"].load_state_dict(stopping.weights)
    ctx["trace"].write()
    if ctx["procs"].rank == 0:
        save(ctx, Path(args.out), history)
        if "test" in ctx["data"]:
            loss, accuracy = evaluate(ctx["model"], ctx["data"]["test"], ctx["loss"], ctx["classification"])
            print(f"test loss {loss:.4f}" + ("" if accuracy is None else f", test accuracy {accuracy * 100:.2f}%"))
        print(f"trained {run.steps} steps; wrote {args.out}/model.safetensors and {args.out}/history.csv")
    ctx["procs"].finish()


if __name__ == "__main__":
    main()
