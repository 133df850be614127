import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  createOptimizer,
  mlp,
  OPTIMIZER_NAMES,
  RMSprop,
  SGD,
  type OptimizerName,
} from '../../src/index.js';

describe('createOptimizer', () => {
  const params = () => mlp([2, 3, 1]).parameters();
  const group = (name: OptimizerName, options = {}) =>
    createOptimizer(name, params(), options).paramGroups[0] as unknown as Record<string, unknown>;

  it('makes each named optimizer with its class', () => {
    const classes = [SGD, SGD, SGD, Adagrad, RMSprop, Adam, AdamW];
    expect(OPTIMIZER_NAMES).toEqual([
      'sgd',
      'momentum',
      'nesterov',
      'adagrad',
      'rmsprop',
      'adam',
      'adamw',
    ]);
    OPTIMIZER_NAMES.forEach((name, i) =>
      expect(createOptimizer(name, params())).toBeInstanceOf(classes[i]),
    );
  });

  it('gives momentum 0.9 to the momentum names unless told otherwise', () => {
    expect(group('sgd').momentum).toBe(0);
    expect(group('momentum').momentum).toBe(0.9);
    expect(group('nesterov')).toMatchObject({ momentum: 0.9, nesterov: true });
    expect(group('momentum', { momentum: 0.5 }).momentum).toBe(0.5);
  });

  it('passes the hyperparameters each takes and ignores the rest', () => {
    const all = { lr: 0.2, momentum: 0.3, betas: [0.8, 0.99] as [number, number], alpha: 0.7 };
    expect(group('adam', all)).toMatchObject({ lr: 0.2, betas: [0.8, 0.99] });
    expect(group('adam', all).momentum).toBeUndefined();
    expect(group('rmsprop', all)).toMatchObject({ lr: 0.2, alpha: 0.7, momentum: 0.3 });
    expect(group('adamw').weightDecay).toBe(1e-2);
  });

  it('names what was wrong', () => {
    expect(() => createOptimizer('lbfgs' as OptimizerName, params())).toThrow(
      /createOptimizer: name must be one of "sgd", .*"adamw", got "lbfgs"/,
    );
    expect(() => createOptimizer('adam', params(), { lr: -1 })).toThrow(/Adam: lr must be/);
  });
});
