import { describe, expect, it } from 'vitest';
import {
  Tensor,
  arange,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  scalar,
  tensor,
  zeros,
  zerosLike,
} from '../../src/index.js';

// requiresGrad on creation, and the errors of the creation functions: each names the function
// and the bad value.

describe('requiresGrad', () => {
  it('can be set on floating-point leaves, and requiresGrad_ returns the tensor', () => {
    const t = tensor([1, 2]);
    t.requiresGrad = true;
    expect(t.requiresGrad).toBe(true);
    const u = tensor([1, 2], { dtype: 'float64' });
    expect(u.requiresGrad_()).toBe(u);
    expect(u.requiresGrad).toBe(true);
    u.requiresGrad_(false);
    expect(u.requiresGrad).toBe(false);
  });

  it('refuses int32 tensors', () => {
    const t = tensor([1, 2], { dtype: 'int32' });
    expect(() => {
      t.requiresGrad = true;
    }).toThrow(
      /requiresGrad: only floating-point tensors can require gradients, this one is int32/,
    );
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(
      /^tensor: only floating-point tensors can require gradients, this one is int32/,
    );
    expect(() => zeros([2], { dtype: 'int32', requiresGrad: true })).toThrow(
      /^zeros: only floating-point/,
    );
    expect(() => arange(3, { dtype: 'int32', requiresGrad: true })).toThrow(
      /^arange: only floating-point/,
    );
  });

  it('refuses non-leaves, naming the op that made them', () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(3);
    expect(y.isLeaf).toBe(false);
    expect(() => {
      y.requiresGrad = false;
    }).toThrow(
      /requiresGrad: can only be set on leaf tensors; this tensor was computed by MulBackward/,
    );
  });
});

describe('creation errors name the function and the bad value', () => {
  it('bad dtypes', () => {
    expect(() => tensor([1], { dtype: 'int64' as never })).toThrow(
      /tensor: unknown dtype "int64"; expected one of float32, float64, int32, uint8, bool/,
    );
    expect(() => zeros([2], { dtype: 'float16' as never })).toThrow(
      /zeros: unknown dtype "float16"/,
    );
    expect(() => ones([2], { dtype: 'int8' as never })).toThrow(/ones: unknown dtype "int8"/);
    expect(() => full([2], 1, { dtype: 'x' as never })).toThrow(/full: unknown dtype "x"/);
    expect(() => arange(3, { dtype: 'x' as never })).toThrow(/arange: unknown dtype "x"/);
    expect(() => eye(2, { dtype: 'x' as never })).toThrow(/eye: unknown dtype "x"/);
    expect(() => rand([2], { dtype: 'int32' })).toThrow(
      /rand: draws floating-point numbers; dtype must be float32 or float64, got int32/,
    );
    expect(() => randn([2], { dtype: 'int32' })).toThrow(/randn: draws floating-point numbers/);
  });

  it('bad shapes', () => {
    expect(() => zeros([2, -1])).toThrow(
      /zeros: shape \[2,-1\] must hold non-negative integers, got -1/,
    );
    expect(() => ones([2.5])).toThrow(
      /ones: shape \[2.5\] must hold non-negative integers, got 2.5/,
    );
    expect(() => full('ab' as never, 1)).toThrow(/full: shape must be an array of sizes, got "ab"/);
    expect(() => rand([-1])).toThrow(/rand: shape \[-1\] must hold non-negative integers/);
    expect(() => eye(-2)).toThrow(/eye: shape \[-2,-2\] must hold non-negative integers, got -2/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
      /tensor: shape \[2,2\] holds 4 elements but the data has 3/,
    );
    expect(() => tensor([1, 2], { shape: [-2] })).toThrow(
      /tensor: shape \[-2\] must hold non-negative integers/,
    );
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow(
      /Tensor: shape \[2,2\] holds 4 elements but the data has 3/,
    );
    expect(() => new Tensor([1, 2] as never, [2])).toThrow(
      /Tensor: data must be a Float32Array, Float64Array, Int32Array, Uint8Array or BoolArray/,
    );
  });

  it('ragged and non-numeric input', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      /tensor: ragged nested array: element \[1\] has length 1 but element \[0\] has length 2/,
    );
    expect(() => tensor([[1, 2], 3] as never)).toThrow(
      /tensor: ragged nested array: element \[1\] is a number/,
    );
    expect(() => tensor([1, 'a'] as never)).toThrow(
      /tensor: element \[1\] is a string \("a"\); expected a number or a boolean/,
    );
    expect(() => tensor(null)).toThrow(
      /tensor: expected a number, a boolean or a nested array of them, got null/,
    );
    expect(() => tensor(undefined)).toThrow(/tensor: expected .* got undefined/);
    expect(() => tensor('abc')).toThrow(/tensor: expected .* got a string \("abc"\)/);
    expect(() => scalar('1' as never)).toThrow(/scalar: expected a number, got string/);
    expect(() => full([2], 'a' as never)).toThrow(/full: fill value must be a number, got string/);
  });

  it('a DataView is refused with a message naming tensor()', () => {
    expect(() => tensor(new DataView(new ArrayBuffer(8)))).toThrow(/^tensor: .*DataView/);
  });

  it('a BigInt64Array is refused with a message naming tensor()', () => {
    expect(() => tensor(BigInt64Array.of(1n, 2n))).toThrow(/^tensor: .*BigInt64Array/);
  });

  it('bad ranges for the random and range functions', () => {
    expect(() => rand([2], { low: 1, high: 1 })).toThrow(
      /rand: need finite low < high, got low=1, high=1/,
    );
    expect(() => randn([2], { std: -1 })).toThrow(
      /randn: need a finite mean and std >= 0, got mean=0, std=-1/,
    );
    expect(() => randint(0.5, 3, [2])).toThrow(
      /randint: need integers low < high, got low=0.5, high=3/,
    );
    expect(() => randint(3, 3, [2])).toThrow(/randint: need integers low < high/);
    expect(() => arange(0, 1, 0)).toThrow(
      /arange: need finite start, end and a non-zero step, got 0, 1, 0/,
    );
    expect(() => arange(Infinity)).toThrow(/arange: need finite start/);
    expect(() => linspace(0, 1, 2.5)).toThrow(
      /linspace: steps must be a non-negative integer, got 2.5/,
    );
    expect(() => linspace(0, NaN, 3)).toThrow(
      /linspace: start and end must be finite, got 0 and NaN/,
    );
  });
});

describe('the *Like creators and the Tensor constructor name themselves', () => {
  it('zerosLike, onesLike and fullLike say which was called', () => {
    expect(() => zerosLike(null as never)).toThrow(/^zerosLike: expected a Tensor, got null$/);
    expect(() => onesLike(42 as never)).toThrow(/^onesLike: expected a Tensor, got number$/);
    expect(() => fullLike(tensor([1]), 'x' as never)).toThrow(
      /^fullLike: fill value must be a number, got string$/,
    );
    expect(fullLike(tensor([1, 2], { dtype: 'int32' }), 3).dtype).toBe('int32');
  });

  it('new Tensor refuses a missing shape', () => {
    expect(() => new Tensor(42, undefined as never)).toThrow(
      /^Tensor: shape must be an array of sizes, got undefined$/,
    );
  });
});
