"""Writes the ONNX fixtures of test/onnx/import.test.ts with PyTorch's own exporter.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/make-onnx-fixtures.py

needs Debian's python3-torch (torch 1.13). For each model it writes test/fixtures/onnx/NAME.onnx
(torch.onnx.export, opset 17, eval mode, the batch dimension dynamic) and NAME.json: a fixed input
and PyTorch's output for it, which the test expects nabla's imported model to reproduce.
"""
import json
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'onnx')


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 6), nn.Tanh(), nn.Linear(6, 3))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, stride=2), nn.Sigmoid(), nn.Flatten(), nn.Dropout(0.2), nn.Linear(6 * 1 * 1, 5),
        nn.LogSoftmax(dim=1))


def write(name, model, shape):
    torch.manual_seed(0)
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):  # statistics other than the defaults
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
    x = torch.randn(*shape)
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, os.path.join(OUT, name + '.onnx'), opset_version=17,
                      input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'input': {'shape': list(shape), 'data': x.flatten().tolist()},
                   'output': {'shape': list(y.shape), 'data': y.flatten().tolist()}}, f)
        f.write('\n')


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    write('torch-mlp', mlp(), (3, 4))
    torch.manual_seed(1)
    write('torch-cnn', cnn(), (2, 1, 6, 6))
