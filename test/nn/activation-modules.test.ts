import { describe, expect, it } from 'vitest';
import type { Module } from '../../src/index.js';
import {
  CELU,
  declaredParameters,
  ELU,
  elu,
  GLU,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  hardtanh,
  Linear,
  LogSigmoid,
  Mish,
  moduleFromConfig,
  PReLU,
  ReLU6,
  SELU,
  Sequential,
  SiLU,
  Softmin,
  Softplus,
  Softsign,
  tensor,
  zeros,
} from '../../src/index.js';
import { expectValues } from '../helpers.js';

const roundTrip = (m: Module): Module => moduleFromConfig(JSON.parse(JSON.stringify(m.toConfig())));

describe("PyTorch's activation modules", () => {
  it('save under PyTorch class names with their arguments and print as PyTorch does', () => {
    const cases: [Module, object, string][] = [
      [new ELU(0.5), { type: 'ELU', alpha: 0.5 }, 'ELU(alpha=0.5)'],
      [new CELU(2), { type: 'CELU', alpha: 2 }, 'CELU(alpha=2)'],
      [new SELU(), { type: 'SELU' }, 'SELU()'],
      [new SiLU(), { type: 'SiLU' }, 'SiLU()'],
      [new Mish(), { type: 'Mish' }, 'Mish()'],
      [
        new Softplus(2, 10),
        { type: 'Softplus', beta: 2, threshold: 10 },
        'Softplus(beta=2, threshold=10)',
      ],
      [new Softsign(), { type: 'Softsign' }, 'Softsign()'],
      [new LogSigmoid(), { type: 'LogSigmoid' }, 'LogSigmoid()'],
      [
        new Hardtanh(-2, 2),
        { type: 'Hardtanh', minVal: -2, maxVal: 2 },
        'Hardtanh(minVal=-2, maxVal=2)',
      ],
      [new ReLU6(), { type: 'ReLU6' }, 'ReLU6()'],
      [new Hardsigmoid(), { type: 'Hardsigmoid' }, 'Hardsigmoid()'],
      [new Hardswish(), { type: 'Hardswish' }, 'Hardswish()'],
      [new PReLU(3), { type: 'PReLU', numParameters: 3, init: 0.25 }, 'PReLU(numParameters=3)'],
      [new GLU(1), { type: 'GLU', dim: 1 }, 'GLU(dim=1)'],
      [new Softmin(0), { type: 'Softmin', dim: 0 }, 'Softmin(dim=0)'],
    ];
    for (const [module, config, text] of cases) {
      expect(module.toConfig()).toEqual(config);
      expect(roundTrip(module).toConfig()).toEqual(config);
      expect(module.toString()).toBe(text);
    }
  });

  it('compute their functions', () => {
    const x = tensor([-2, -0.5, 0.5, 2], { dtype: 'float64' });
    expectValues(new ELU(0.5).call(x), elu(x, 0.5).toArray() as number[]);
    expectValues(new Hardtanh(-1, 1).call(x), hardtanh(x).toArray() as number[]);
    expect(new GLU().call(zeros([3, 8])).shape).toEqual([3, 4]);
    expect(new Softmin(0).call(zeros([2, 3])).toArray()).toEqual([
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5],
    ]);
  });

  it('PReLU learns its slopes: PyTorch parameter name, init, count, reset and dtype', () => {
    const act = new PReLU(2, { init: 0.1, dtype: 'float64' });
    expect(act.namedParameters().map(([name, p]) => [name, p.shape, p.dtype])).toEqual([
      ['weight', [2], 'float64'],
    ]);
    expect(Array.from(act.weight.data)).toEqual([0.1, 0.1]);
    expect(act.numParameters()).toBe(2);
    expect(declaredParameters(act.toConfig())).toBe(2);
    const x = tensor(
      [
        [-1, 2],
        [-3, -4],
      ],
      { dtype: 'float64' },
    );
    const net = new Sequential(new Linear(2, 2, { dtype: 'float64' }), act);
    net.call(x).sum().backward();
    expect(act.weight.grad).not.toBeNull();
    act.weight.data.fill(3);
    act.resetParameters();
    expect(Array.from(act.weight.data)).toEqual([0.1, 0.1]);
    expect(new PReLU().stateDict()).toHaveProperty('weight');
    expect(Array.from(new PReLU().weight.data)).toEqual([0.25]);
  });

  it('PReLU sends each slope the sum of x over its channel where x ≤ 0', () => {
    const act = new PReLU(2, { dtype: 'float64' });
    const x = tensor(
      [
        [
          [-1, -2],
          [-3, -4],
        ],
      ],
      { dtype: 'float64' },
    );
    act.call(x).sum().backward();
    // torch: prelu's weight gradient for this input is [-3, -7]
    expect(Array.from(act.weight.grad!.data)).toEqual([-3, -7]);
  });

  it('refuse bad arguments by name', () => {
    expect(() => new ELU(NaN)).toThrow(/ELU: alpha must be a finite number, got NaN/);
    expect(() => new CELU(0)).toThrow(/CELU: alpha must not be 0/);
    expect(() => new Softplus(0)).toThrow(/Softplus: beta must be positive, got 0/);
    expect(() => new PReLU(0)).toThrow(/PReLU: numParameters must be a positive integer, got 0/);
    expect(() => new GLU(0.5)).toThrow(/GLU: dim must be an integer, got 0.5/);
    expect(() => moduleFromConfig({ type: 'Hardtanh', minVal: 'a' })).toThrow(
      /model config: Hardtanh.minVal must be a finite number/,
    );
  });
});
