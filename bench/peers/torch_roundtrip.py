"""PyTorch side of bench/torch-roundtrip.ts: the same small CNN in PyTorch, weights exchanged with
nabla as safetensors files (read and written here with the standard library and NumPy, so that no
safetensors package is needed).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/peers/torch_roundtrip.py DIR

DIR holds nabla's files: nabla.safetensors (its model's state dict, after a few training steps),
input.safetensors (x) and nabla-out.safetensors (nabla's eval-mode output on x). This script
1. loads nabla's state dict into the PyTorch model by key, runs it on x in eval mode and prints
   the largest difference from nabla's output;
2. trains its own copy a few steps (batch norm's running statistics move), writes its state dict
   to torch.safetensors and its eval output on x to torch-out.safetensors, for nabla to check.
Prints one line `RESULT {json}`.
"""

import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64}
NAMES = {np.dtype(v): k for k, v in DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        arr = np.frombuffer(data[base + start : base + end], dtype=DTYPES[info["dtype"]])
        out[name] = torch.from_numpy(arr.reshape(info["shape"]).copy())
    return out


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        arr = t.detach().cpu().contiguous().numpy()  # (np.ascontiguousarray would make 0-d arrays 1-d)
        raw = arr.tobytes()
        header[name] = {"dtype": NAMES[arr.dtype], "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def model():
    """The network of bench/torch-roundtrip.ts: conv, batch norm, pooling, a dense head."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, stride=1, padding=1, groups=2), nn.BatchNorm2d(16), nn.ReLU(),
        nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(64, 10),
    )


def main(folder):
    torch.manual_seed(0)
    x = read_safetensors(f"{folder}/input.safetensors")["x"]
    nabla_out = read_safetensors(f"{folder}/nabla-out.safetensors")["y"]
    m = model()
    m.load_state_dict(read_safetensors(f"{folder}/nabla.safetensors"), strict=True)
    m.eval()
    with torch.no_grad():
        diff_in = (m(x) - nabla_out).abs().max().item()
    # PyTorch trains its own copy a few steps; nabla loads it.
    torch.manual_seed(1)
    m2 = model()
    opt = torch.optim.SGD(m2.parameters(), lr=0.05, momentum=0.9)
    for _ in range(5):
        xb = torch.randn(16, 3, 16, 16)
        yb = torch.randint(0, 10, (16,))
        opt.zero_grad()
        F.cross_entropy(m2(xb), yb).backward()
        opt.step()
    m2.eval()
    with torch.no_grad():
        y2 = m2(x)
    write_safetensors(f"{folder}/torch.safetensors", m2.state_dict())
    write_safetensors(f"{folder}/torch-out.safetensors", {"y": y2})
    keys = list(m2.state_dict().keys())
    print("RESULT " + json.dumps({"nablaToTorchMaxDiff": diff_in, "torchKeys": keys, "version": torch.__version__}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
