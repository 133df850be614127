"""Writes test/fixtures/torch-state/: a PyTorch model's state_dict as safetensors, and its output.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/make-torch-state-fixture.py

needs Debian's python3-torch (torch 1.13), not the `safetensors` package: the format (an 8-byte
little-endian header length, a JSON header, then the raw bytes) is written here directly. The
model has every kind of module state: weights, biases, a PReLU slope, and batch norm's buffers
(running_mean, running_var and the int64 num_batches_tracked).
"""
import json
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch-state')
DTYPES = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}


def save_safetensors(state, path):
    header, chunks, offset = {}, [], 0
    for name, t in state.items():
        data = t.contiguous().numpy().tobytes()
        header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(',', ':')).encode()
    head += b' ' * (-len(head) % 8)
    with open(path, 'wb') as f:
        f.write(len(head).to_bytes(8, 'little') + head + b''.join(chunks))


def model():
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.PReLU(3), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3 * 3 * 3, 8), nn.LayerNorm(8), nn.ReLU(), nn.Linear(8, 4))


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    net = model()
    net.train()
    for _ in range(3):  # running statistics other than the defaults, and a count of 3
        net(torch.randn(5, 1, 6, 6) * 2 + 1)
    net.eval()
    x = torch.randn(2, 1, 6, 6)
    with torch.no_grad():
        y = net(x)
    save_safetensors(net.state_dict(), os.path.join(OUT, 'cnn.safetensors'))
    with open(os.path.join(OUT, 'cnn.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'input': {'shape': list(x.shape), 'data': x.flatten().tolist()},
                   'output': {'shape': list(y.shape), 'data': y.flatten().tolist()}}, f)
        f.write('\n')
