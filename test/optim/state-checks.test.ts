import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import {
  Adagrad,
  Adam,
  RMSprop,
  SGD,
  type Optimizer,
  type OptimizerStateDict,
} from '../../src/optim/index.js';

const param = (): Tensor => tensor([1, 2], { requiresGrad: true });

function stepped(make: (p: Tensor[]) => Optimizer): OptimizerStateDict {
  const p = param();
  const opt = make([p]);
  p.grad = tensor([1, -1]);
  opt.step();
  return opt.stateDict();
}

describe('loadStateDict refuses a state that does not belong', () => {
  it('refuses a state dict from another optimizer class, naming both, changing nothing', () => {
    const saved = stepped((p) => new SGD(p, { lr: 0.5, momentum: 0.9 }));
    const adam = new Adam([param()], { lr: 0.01 });
    expect(() => adam.loadStateDict(saved)).toThrow(
      /Adam\.loadStateDict: saved param group 0 has momentum, dampening, nesterov, which Adam does not have and lacks betas, .*: this state dict comes from SGD, not Adam/,
    );
    expect(adam.paramGroups[0].lr).toBe(0.01);
    const fromAdam = stepped((p) => new Adam(p));
    expect(() => new RMSprop([param()]).loadStateDict(fromAdam)).toThrow(
      /comes from Adam, not RMSprop/,
    );
    expect(() => new SGD([param()]).loadStateDict(stepped((p) => new Adagrad(p)))).toThrow(
      /comes from Adagrad, not SGD/,
    );
  });

  it('refuses state tensors of a non-floating dtype', () => {
    const saved = stepped((p) => new Adam(p));
    saved.state[0].expAvg = tensor([1, 2], { dtype: 'int32' });
    expect(() => new Adam([param()]).loadStateDict(saved)).toThrow(
      'Adam.loadStateDict: the saved expAvg of parameter 0 is int32 but the parameter is float32',
    );
  });

  it('refuses a non-finite step count', () => {
    const saved = stepped((p) => new Adam(p));
    saved.state[0].step = Number.NaN;
    expect(() => new Adam([param()]).loadStateDict(saved)).toThrow(
      'Adam.loadStateDict: the saved step of parameter 0 is NaN, not a finite number',
    );
  });

  it.each([
    ['Adam', (p: Tensor[]) => new Adam(p, { amsgrad: true }), 'maxExpAvgSq'],
    ['Adam', (p: Tensor[]) => new Adam(p), 'step'],
    ['SGD', (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.5 }), 'momentumBuffer'],
    ['RMSprop', (p: Tensor[]) => new RMSprop(p, { centered: true }), 'gradAvg'],
    ['Adagrad', (p: Tensor[]) => new Adagrad(p), 'sum'],
  ] as const)('%s: refuses a missing %s entry', (label, make, entry) => {
    const saved = stepped(make);
    delete saved.state[0][entry];
    const fresh = make([param()]);
    expect(() => fresh.loadStateDict(saved)).toThrow(
      `${label}.loadStateDict: the saved state of parameter 0 lacks ${entry}, which ${label} needs`,
    );
    expect(fresh.state.size).toBe(label === 'Adagrad' ? 1 : 0);
  });

  it('still loads a state of its own class, and parameters that never stepped', () => {
    const saved = stepped((p) => new Adam(p, { lr: 0.2 }));
    const adam = new Adam([param()]);
    adam.loadStateDict(saved);
    expect(adam.paramGroups[0].lr).toBe(0.2);
    const sgd = new SGD([param()], { momentum: 0.9 });
    sgd.loadStateDict(new SGD([param()], { momentum: 0.9 }).stateDict());
    expect(sgd.state.size).toBe(0);
  });
});
