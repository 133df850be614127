/**
 * A state dict records the optimizer class that saved it, so that Adam and AdamW — the same
 * hyperparameters and state, a different weight decay — refuse each other's state, naming both.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import { Adam, AdamW, SGD, type Optimizer } from '../../src/optim/index.js';

const param = (): Tensor => tensor([1, 2], { requiresGrad: true });

/** An optimizer made by `make` after one step (so that it has state). */
function stepped<O extends Optimizer>(make: (p: Tensor[]) => O): O {
  const p = param();
  const opt = make([p]);
  p.grad = tensor([1, -1]);
  opt.step();
  return opt;
}

describe('the class that saved a state dict', () => {
  it('is recorded in it', () => {
    expect(stepped((p) => new Adam(p)).stateDict().optimizer).toBe('Adam');
    expect(stepped((p) => new AdamW(p)).stateDict().optimizer).toBe('AdamW');
    expect(stepped((p) => new SGD(p, { lr: 0.1 })).stateDict().optimizer).toBe('SGD');
  });

  it('Adam refuses AdamW’s state and AdamW refuses Adam’s, naming both, changing nothing', () => {
    const adam = new Adam([param()], { lr: 0.01, weightDecay: 0.1 });
    expect(() => adam.loadStateDict(stepped((p) => new AdamW(p)).stateDict())).toThrow(
      'Adam.loadStateDict: this state dict comes from AdamW, not Adam: load it with AdamW',
    );
    expect(adam.paramGroups[0].lr).toBe(0.01);
    expect(adam.paramGroups[0].weightDecay).toBe(0.1);
    const adamw = new AdamW([param()], { lr: 0.02 });
    expect(() => adamw.loadStateDict(stepped((p) => new Adam(p)).stateDict())).toThrow(
      /^AdamW\.loadStateDict: this state dict comes from Adam, not AdamW/,
    );
    expect(adamw.paramGroups[0].lr).toBe(0.02);
    expect(adamw.paramGroups[0].weightDecay).toBe(0.01);
  });

  it('each loads its own, and a state dict that records no class (as before) still loads', () => {
    const saved = stepped((p) => new AdamW(p, { lr: 0.05 })).stateDict();
    const adamw = new AdamW([param()]);
    adamw.loadStateDict(saved);
    expect(adamw.paramGroups[0].lr).toBe(0.05);
    const { optimizer, ...unrecorded } = stepped((p) => new Adam(p, { lr: 0.07 })).stateDict();
    expect(optimizer).toBe('Adam');
    const adam = new Adam([param()]);
    adam.loadStateDict(unrecorded);
    expect(adam.paramGroups[0].lr).toBe(0.07);
  });

  it('refuses a recorded class that is not a name', () => {
    const saved = {
      ...stepped((p) => new Adam(p)).stateDict(),
      optimizer: 42 as unknown as string,
    };
    expect(() => new Adam([param()]).loadStateDict(saved)).toThrow(
      "Adam.loadStateDict: the state dict's optimizer must be the name of the class that saved it, got 42",
    );
  });

  it('a class told apart by its hyperparameters keeps its detailed message', () => {
    expect(() =>
      new Adam([param()]).loadStateDict(stepped((p) => new SGD(p, { lr: 0.1 })).stateDict()),
    ).toThrow(/saved param group 0 has .*: this state dict comes from SGD, not Adam/);
  });
});
