import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  decodeSafetensors,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  noGrad,
  PReLU,
  ReLU,
  Sequential,
  tensor,
} from '../../src/index.js';
import { evalMode } from '../../src/nn/module.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'torch-state');

/** The nabla twin of scripts/make-torch-state-fixture.py's model. */
const twin = (): Sequential =>
  new Sequential(
    new Conv2d(1, 3, 3, { padding: 1 }),
    new BatchNorm2d(3),
    new PReLU(3),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(27, 8),
    new LayerNorm(8),
    new ReLU(),
    new Linear(8, 4),
  );

describe("PyTorch's weights in: a state_dict saved by PyTorch as safetensors", () => {
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(join(DIR, 'cnn.safetensors'))));

  it("loads into the same layers, buffers included, and gives PyTorch 1.13's outputs", () => {
    const model = twin();
    model.loadStateDict(tensors);
    expect(model.getBuffer('1.num_batches_tracked')?.item()).toBe(3);
    const f = JSON.parse(readFileSync(join(DIR, 'cnn.json'), 'utf8')) as {
      input: { shape: number[]; data: number[] };
      output: { shape: number[]; data: number[] };
    };
    const y = evalMode(model, () =>
      noGrad(() => model.call(tensor(f.input.data).reshape(f.input.shape))),
    );
    expect(y.shape).toEqual(f.output.shape);
    f.output.data.forEach((v, i) => expect(y.data[i]).toBeCloseTo(v, 5));
  });

  it('names both sides of a shape or name mismatch', () => {
    const firstTwo = new Map(
      [...tensors].filter(([k]) => k.startsWith('0.') || k.startsWith('1.')),
    );
    const wider = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4));
    expect(() => wider.loadStateDict(firstTwo)).toThrow(
      'loadStateDict: 0.weight has shape [3,1,3,3] in the state but [4,1,3,3] in the model',
    );
    const missing = new Map([...firstTwo].filter(([k]) => k !== '1.running_var'));
    expect(() =>
      new Sequential(new Conv2d(1, 3, 3), new BatchNorm2d(3)).loadStateDict(missing),
    ).toThrow('loadStateDict: the state does not match the model: missing 1.running_var');
  });
});
