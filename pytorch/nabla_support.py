"""What the scripts `nabla export --pytorch` writes need besides PyTorch and NumPy.

- Safetensors files, read and written with NumPy alone (the format is an 8-byte header length, a
  JSON header and the raw little-endian arrays), so no `safetensors` package is needed.
- nabla's random generator (xoshiro128**, seeded as nabla seeds it) and its Fisher-Yates
  shuffle, so that train.py visits the examples in exactly the order `nabla train` did.

This file is copied unchanged by every export; model.py, train.py and recipe.json sit beside it.
"""

import json
import os
import struct

import numpy as np

_DTYPES = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U8": np.uint8,
    "BOOL": np.bool_,
}
_CODES = {np.dtype(v).str: k for k, v in _DTYPES.items()}


def read_safetensors(path):
    """The arrays of a safetensors file by name, and its string metadata."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: not a safetensors file (only {len(data)} bytes)")
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + size
    arrays = {}
    for name, info in header.items():
        if info["dtype"] not in _DTYPES:
            raise ValueError(f"{path}: {name} has dtype {info['dtype']}, which this reader lacks")
        start, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        flat = np.frombuffer(data, dtype=dtype, count=(end - start) // dtype.itemsize, offset=base + start)
        arrays[name] = flat.reshape(info["shape"]).astype(dtype.newbyteorder("="))
    return arrays, meta


def write_safetensors(path, arrays, metadata=None):
    """Writes `arrays` (name -> NumPy array) atomically: a temporary file, then a rename."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        code = _CODES.get(a.dtype.newbyteorder("<").str)
        if code is None:
            raise ValueError(f"{name}: arrays of {a.dtype} cannot be written")
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


_M32 = 0xFFFFFFFF


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & _M32


def _splitmix32_mix(x):
    x ^= x >> 16
    x = (x * 0x21F0AAAD) & _M32
    x ^= x >> 15
    x = (x * 0x735A2D97) & _M32
    return x ^ (x >> 15)


def _murmur_mix(x):
    x ^= x >> 16
    x = (x * 0x85EBCA6B) & _M32
    x ^= x >> 13
    x = (x * 0xC2B2AE35) & _M32
    return x ^ (x >> 16)


class NablaGenerator:
    """nabla's `Generator`: xoshiro128** over four 32-bit words, seeded from both halves of the seed."""

    def __init__(self, seed=0):
        self.manual_seed(seed)

    def manual_seed(self, seed):
        hi = seed // 2**32
        a, b = (seed - hi * 2**32) & _M32, hi & _M32
        words = []
        for _ in range(4):
            a = (a + 0x9E3779B9) & _M32
            b = (b + 0x7F4A7C15) & _M32
            words.append(_splitmix32_mix(a ^ _murmur_mix(b)))
        if not any(words):
            words[0] = 0x9E3779B9
        self.s, self.seed, self.spare = words, seed, None
        return self

    def get_state(self):
        """The state as nabla's `Generator.getState()` writes it."""
        return {"algorithm": "xoshiro128**", "seed": self.seed, "s": list(self.s), "spare": self.spare}

    def set_state(self, state):
        if state.get("algorithm") != "xoshiro128**":
            raise ValueError(f"generator state of {state.get('algorithm')!r}, expected xoshiro128**")
        self.s = [int(w) & _M32 for w in state["s"]]
        self.seed, self.spare = state["seed"], state.get("spare")

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        s2 ^= s0
        s3 ^= s1
        result = (_rotl((s1 * 5) & _M32, 7) * 9) & _M32
        self.s = [s0 ^ s3, s1 ^ s2, s2 ^ ((s1 << 9) & _M32), _rotl(s3, 11)]
        return result

    def uniform_int(self, n):
        """An unbiased integer in [0, n), by rejection on 32-bit draws (nabla's `uniformInt`)."""
        limit = 2**32 - (2**32 % n)
        x = self.next_uint32()
        while x >= limit:
            x = self.next_uint32()
        return x % n

    def permutation(self, n):
        """0..n-1 shuffled by Fisher-Yates, exactly as nabla's DataLoader shuffles an epoch."""
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.uniform_int(i + 1)
            p[i], p[j] = p[j], p[i]
        return np.array(p, dtype=np.int64)
