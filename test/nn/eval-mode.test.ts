import { describe, expect, it } from 'vitest';
import { evalMode, mlp, randn } from '../../src/index.js';

describe('evalMode', () => {
  it('turns dropout off for the block and puts back every module’s own flag', () => {
    const net = mlp([4, 16, 2], { dropout: 0.9 });
    const dropout = net.namedModules().find(([, m]) => m.constructor.name === 'Dropout')![1];
    dropout.training = false; // a sub-module already in eval mode stays so
    const x = randn([8, 4]);
    let inside: boolean[] = [];
    const out = evalMode(net, () => {
      inside = net.namedModules().map(([, m]) => m.training);
      return net.call(x);
    });
    expect(inside.every((t) => !t)).toBe(true);
    expect(net.training).toBe(true);
    expect(dropout.training).toBe(false);
    expect(Array.from(out.data)).toEqual(Array.from(net.eval().call(x).data));
  });

  it('restores the flags when the block throws', () => {
    const net = mlp([2, 2]);
    expect(() =>
      evalMode(net, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(net.training).toBe(true);
  });
});

describe('evalMode and mlp refuse arguments of the wrong sort by name', () => {
  it('names the module, the function and the sizes', () => {
    expect(() => evalMode(42 as never, () => 1)).toThrow(
      /^evalMode: module must be a Module, got 42$/,
    );
    expect(() => evalMode(mlp([2, 2]), null as never)).toThrow(
      /^evalMode: fn must be a function, got null$/,
    );
    expect(() => mlp([1, 'a'] as never)).toThrow(
      /^mlp: sizes\[1\] must be a positive integer, got "a"$/,
    );
    expect(() => mlp(42 as never)).toThrow(/^mlp: sizes must be an array of layer sizes, got 42$/);
  });
});
