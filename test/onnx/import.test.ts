import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  ReLU,
  SGD,
  Sequential,
  Tanh,
  crossEntropy,
  manualSeed,
  mlp,
  noGrad,
  randint,
  randn,
  tensor,
  zeros,
  type Module,
  type Tensor,
} from '../../src/index.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import { OnnxGraph, onnx } from '../../src/io/onnx-graph.js';
import { importOnnx, OnnxImportError } from '../../src/io/onnx-import.js';
import { evalMode } from '../../src/nn/module.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'onnx');

interface Fixture {
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
}

const out = (m: Module, x: Tensor): Tensor => evalMode(m, () => noGrad(() => m.call(x)));

function expectClose(
  got: Tensor,
  want: { shape: readonly number[]; data: ArrayLike<number> },
  tol = 1e-5,
): void {
  expect(got.shape).toEqual(want.shape);
  let worst = 0;
  for (let i = 0; i < want.data.length; i++)
    worst = Math.max(worst, Math.abs(got.data[i] - want.data[i]) / (1 + Math.abs(want.data[i])));
  expect(worst).toBeLessThan(tol);
}

describe('importOnnx', () => {
  it.each(['torch-mlp', 'torch-cnn'])(
    "%s.onnx (written by torch.onnx.export) gives PyTorch 1.13's outputs",
    (name) => {
      const model = importOnnx(new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`))));
      const f = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Fixture;
      expectClose(out(model, tensor(f.input.data).reshape(f.input.shape)), f.output);
    },
  );

  it('reads back what exportOnnx wrote: the same outputs', () => {
    manualSeed(3);
    const bn = new BatchNorm2d(4);
    bn.train();
    bn.call(randn([4, 4, 6, 6]).add(1));
    const models: [Module, number[]][] = [
      [mlp([5, 7, 3], { activation: 'tanh' }), [2, 5]],
      [
        new Sequential(
          new Conv2d(1, 4, 3, { padding: 1 }),
          bn,
          new ReLU(),
          new MaxPool2d(2),
          new Flatten(),
          new Linear(36, 3),
        ),
        [2, 1, 6, 6],
      ],
      [
        new Sequential(
          new Linear(4, 6),
          new LayerNorm(6),
          new ReLU(),
          new Linear(6, 2),
          new Tanh(),
        ),
        [3, 4],
      ],
      [new Sequential(new Flatten(2), new Linear(20, 3)), [2, 3, 4, 5]],
    ];
    for (const [model, shape] of models) {
      const copy = importOnnx(exportOnnx(model, zeros(shape)));
      const x = randn(shape);
      expectClose(out(copy, x), out(model, x));
    }
  });

  it('gives a trainable model: a few SGD steps lower the loss', () => {
    manualSeed(4);
    const model = importOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'torch-mlp.onnx'))));
    expect(model.parameters().every((p) => p.requiresGrad)).toBe(true);
    const x = randn([16, 4]);
    const y = randint(0, 3, [16]);
    const opt = new SGD(model.parameters(), { lr: 0.5 });
    const loss = (): number => crossEntropy(out(model, x), y).item();
    const before = loss();
    for (let i = 0; i < 10; i++) {
      opt.zeroGrad();
      crossEntropy(model.call(x), y).backward();
      opt.step();
    }
    expect(loss()).toBeLessThan(before);
  });

  it('names what it cannot import', () => {
    expect(() => importOnnx(new Uint8Array([1, 2, 3]))).toThrow(/importOnnx: not an ONNX model/);
    const g = new OnnxGraph(1);
    const a = g.node('Relu', ['input']);
    const b = g.node('Resize', [a]);
    const model = (nodes: typeof g.nodes, outName: string): Uint8Array =>
      onnx.ModelProto.encode({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 17 }],
        graph: {
          name: 'g',
          node: nodes,
          input: [
            {
              name: 'input',
              type: {
                tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 2 }] } },
              },
            },
          ],
          output: [{ name: outName, type: { tensorType: { elemType: 1 } } }],
        },
      }).finish();
    expect(() => importOnnx(model(g.nodes, b))).toThrow(OnnxImportError);
    expect(() => importOnnx(model(g.nodes, b))).toThrow(
      /Resize node .*: has no nabla layer; importOnnx reads MatMul \(\+ Add\), Gemm, Conv/,
    );
    const h = new OnnxGraph(1);
    const r = h.node('Relu', ['input']);
    const s = h.node('Add', [r, 'input']);
    expect(() => importOnnx(model(h.nodes, s))).toThrow(/Add node .*: has no nabla layer/);
  });
});
