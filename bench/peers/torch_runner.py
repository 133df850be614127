"""PyTorch (and NumPy) side of bench/compare.ts: one case in one process.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/torch_runner.py \
        '{"case":"mlp-sgd","windowMs":1000}'

The optimizers use foreach=True (multi-tensor updates): PyTorch 1.13's default per-parameter Adam
runs ~5x slower here (denormals in its scalar path), and the comparison is with the peer at its
strongest. Each case is measured with 1 and with 2 threads (torch.set_num_threads and, when the BLAS is
OpenBLAS, openblas_set_num_threads) and the better is reported: the peer at its strongest.
Prints one line `RESULT {json}` that bench/compare.ts parses. Named torch_runner.py, not torch.py,
so that it does not shadow the torch package. The `info` case reports versions and the BLAS.
"""

import ctypes
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

GEMM_SIZES = [128, 256, 512, 1024]
config = json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}")


def blas_library():
    """The BLAS shared library mapped into this process (libblas.so.3 is a Debian alternative)."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path) and ".so" in path:
                return os.path.realpath(path)
    return None


def openblas_corename():
    """The kernel OpenBLAS chose (OPENBLAS_CORETYPE would force one), or None."""
    lib = blas_library()
    if lib is None:
        return None
    try:
        fn = ctypes.CDLL(lib).openblas_get_corename
    except (OSError, AttributeError):
        return None
    fn.restype = ctypes.c_char_p
    return fn().decode()


def openblas_setter():
    lib = blas_library()
    if lib is None:
        return None
    try:
        fn = ctypes.CDLL(lib).openblas_set_num_threads
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int]
    return fn


SET_BLAS_THREADS = openblas_setter()


def set_threads(n):
    torch.set_num_threads(n)
    if SET_BLAS_THREADS is not None:
        SET_BLAS_THREADS(n)


def median(values):
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 == 1 else (s[mid - 1] + s[mid]) / 2


def now_ms():
    return time.perf_counter() * 1000.0


def time_windows(step):
    """Warm-up, then a few windows of whole steps; steps/s of each window and their median."""
    warmup_ms = config.get("warmupMs", 500)
    window_ms = config.get("windowMs", 1000)
    windows = config.get("windows", 3)
    min_steps = config.get("minSteps", 3)
    t0 = now_ms()
    warm = 0
    while warm < 3 or now_ms() - t0 < warmup_ms:
        step()
        warm += 1
    rates = []
    steps = 0
    for _ in range(windows):
        n = 0
        t0 = now_ms()
        while n < min_steps or now_ms() - t0 < window_ms:
            step()
            n += 1
        rates.append(n * 1000.0 / (now_ms() - t0))
        steps += n
    return {
        "warmupSteps": warm,
        "steps": steps,
        "windowRates": rates,
        "stepsPerSecond": median(rates),
    }


def time_repeats(once, n):
    # Warm-up: at least one product, then more for gemmWarmupMs (as bench/peers/timing.mjs).
    w0 = now_ms()
    once()
    while now_ms() - w0 < config.get("gemmWarmupMs", 0):
        once()
    budget = config.get("gemmBudgetMs", 1500)
    times = []
    t0 = now_ms()
    while len(times) < config.get("gemmMinReps", 3) or (
        now_ms() - t0 < budget and len(times) < 200
    ):
        s = now_ms()
        once()
        times.append(now_ms() - s)
    times.sort()
    med = median(times)
    flop = 2 * n**3
    return {
        "n": n,
        "reps": len(times),
        "medianMs": med,
        "gflops": flop / (med * 1e6),
        "bestGflops": flop / (times[0] * 1e6),
    }


def best_of_threads(measure, key):
    """Runs `measure()` with 1 and 2 threads; the better result, and both."""
    by_threads = {}
    for threads in (1, 2):
        set_threads(threads)
        by_threads[threads] = measure()
    best = max(by_threads, key=lambda t: by_threads[t][key])
    return {**by_threads[best], "threads": best, "byThreads": by_threads}


def gemm():
    sizes = []
    numpy_sizes = []
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    for n in config.get("sizes", GEMM_SIZES):
        a = torch.randn(n, n)
        b = torch.randn(n, n)
        sizes.append(best_of_threads(lambda: time_repeats(lambda: torch.mm(a, b), n), "gflops"))
        an = rng.standard_normal((n, n), dtype=np.float32)
        bn = rng.standard_normal((n, n), dtype=np.float32)
        numpy_sizes.append(best_of_threads(lambda: time_repeats(lambda: an @ bn, n), "gflops"))
    return {"sizes": sizes, "numpy": numpy_sizes}


def batches(count, batch, inputs, classes):
    return [(torch.randn(batch, inputs), torch.randint(0, classes, (batch,))) for _ in range(count)]


def train(make_model, make_opt, data, batch):
    def measure():
        torch.manual_seed(0)
        model = make_model()
        opt = make_opt(model.parameters())
        i = [0]

        def step():
            x, y = data[i[0] % len(data)]
            i[0] += 1
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()

        timing = time_windows(step)
        timing["samplesPerSecond"] = timing["stepsPerSecond"] * batch
        return timing

    return {**best_of_threads(measure, "stepsPerSecond"), "batch": batch}


def mlp_model():
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)
    )


def tiny_model():
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 2))


def image_batches(count, batch, shape, classes):
    return [(torch.randn(batch, *shape), torch.randint(0, classes, (batch,))) for _ in range(count)]


def lenet_model():
    """LeNet-5 as bench/cnn.ts describes it: 1x28x28, conv 5x5x6 (pad 2), pool, conv 5x5x16, pool, 120, 84, 10."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def cifar_model():
    """3x32x32, conv 3x3 32-32-pool-64-64-pool (batch norm after each conv), fc 256, 10."""
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(
        *block(3, 32), *block(32, 32), nn.MaxPool2d(2),
        *block(32, 64), *block(64, 64), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 10),
    )


OP_CASES = json.loads((Path(__file__).parent.parent / "compare" / "op-cases.json").read_text())


def op_case(name):
    """Calls per second of one operation at the shapes nabla's runner uses (bench/peers/nabla-ops.mjs)."""
    shapes = OP_CASES[name]
    grad = name in ("einsum", "sdpa")
    xs = {k: torch.randn(*s, requires_grad=grad) for k, s in shapes["inputs"].items()}
    steps = {
        "einsum": lambda: torch.einsum(shapes.get("subscripts", ""), xs.get("a"), xs.get("b")).sum().backward(),
        "sort": lambda: torch.sort(xs.get("x"), dim=-1),
        "topk": lambda: torch.topk(xs.get("x"), shapes.get("k", 1), dim=-1),
        "sdpa": lambda: sdpa(xs),
    }
    return {**best_of_threads(lambda: time_windows(steps[name]), "stepsPerSecond"), "shapes": shapes}


def sdpa(xs):
    """torch 2's F.scaled_dot_product_attention where it exists, else its reference formula."""
    q, k, v = xs["q"], xs["k"], xs["v"]
    if hasattr(F, "scaled_dot_product_attention"):
        out = F.scaled_dot_product_attention(q, k, v)
    else:
        out = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1) @ v
    out.sum().backward()


def info():
    summary = [
        line.strip()
        for line in torch.__config__.show().splitlines()
        if "BLAS_INFO" in line or "CPU capability" in line
    ]
    blas_info = ""
    for line in summary:
        for part in line.split(","):
            if "BLAS_INFO" in part or "LAPACK_INFO" in part:
                blas_info += part.strip().removeprefix("- Build settings: ") + " "
    capability = next((s.lstrip("- ") for s in summary if "CPU capability" in s), "")
    return {
        "numpy": np.__version__,
        "blasInfo": blas_info.strip(),
        "cpuCapability": capability,
        "blasLibrary": blas_library(),
        "openblasCore": openblas_corename(),
        "openblasThreadsSettable": SET_BLAS_THREADS is not None,
        "openblasEnv": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")},
    }


def main():
    torch.manual_seed(0)
    case = config.get("case")
    if case == "info":
        result = info()
    elif case == "gemm":
        result = gemm()
    elif case == "mlp-sgd":
        result = train(mlp_model, lambda p: torch.optim.SGD(p, lr=0.01, foreach=True), batches(8, 128, 784, 10), 128)
    elif case == "mlp-adam":
        result = train(mlp_model, lambda p: torch.optim.Adam(p, lr=1e-3, foreach=True), batches(8, 128, 784, 10), 128)
    elif case == "tiny":
        result = train(tiny_model, lambda p: torch.optim.SGD(p, lr=0.1, foreach=True), batches(16, 32, 2, 2), 32)
    elif case == "lenet":
        result = train(lenet_model, lambda p: torch.optim.SGD(p, lr=0.01, foreach=True), image_batches(4, 64, (1, 28, 28), 10), 64)
    elif case == "cifar":
        result = train(cifar_model, lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, foreach=True), image_batches(4, 64, (3, 32, 32), 10), 64)
    elif case in OP_CASES:
        result = op_case(case)
    else:
        raise SystemExit(f"torch_runner.py: unknown case {case!r}")
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    payload = {"framework": "pytorch", "version": torch.__version__, "case": case, **result}
    print("RESULT " + json.dumps({**payload, "maxRssMB": max_rss_mb}), flush=True)


if __name__ == "__main__":
    main()
