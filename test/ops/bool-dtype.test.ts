import { describe, expect, it } from 'vitest';
import {
  all,
  any,
  decodeSafetensors,
  encodeSafetensors,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
  maximum,
  ones,
  scalar,
  tensor,
  where,
  zeros,
} from '../../src/index.js';
import { BoolArray, promoteTypes } from '../../src/tensor/dtype.js';
import { expectTyped, int } from './forward-helpers.js';

// The bool and uint8 dtypes; every expected value is what PyTorch 1.13 gives (int64 read as int32).

const u8 = (v: number[]) => tensor(new Uint8Array(v));
const t = tensor([true, false]);

describe('bool and uint8 tensors', () => {
  it('are made from booleans, Uint8Arrays and dtype options', () => {
    expect(t.dtype).toBe('bool');
    expect(t.data).toBeInstanceOf(BoolArray);
    expect(tensor([[true], [false]]).dtype).toBe('bool');
    expect(tensor(true).dtype).toBe('bool');
    expect(tensor([true, 2]).dtype).toBe('float32');
    expect(tensor([]).dtype).toBe('float32');
    expect(u8([3, 250]).dtype).toBe('uint8');
    expectTyped(tensor([2, 0, -1, NaN], { dtype: 'bool' }), 'bool', [1, 0, 1, 1]);
    expectTyped(ones([2], { dtype: 'bool' }), 'bool', [1, 1]);
    expectTyped(zeros([1], { dtype: 'uint8' }), 'uint8', [0]);
    expectTyped(scalar(5, { dtype: 'bool' }), 'bool', 1);
    expect(() => tensor([true], { requiresGrad: true })).toThrow(/only floating-point/);
  });

  it('convert as PyTorch does: any non-zero (NaN too) is true; uint8 wraps', () => {
    expectTyped(tensor([1.5, -1, 0, NaN]).to('bool'), 'bool', [1, 1, 0, 1]);
    expectTyped(scalar(NaN).to('bool'), 'bool', 1);
    expectTyped(tensor([300, -1]).to('uint8'), 'uint8', [44, 255]);
    expectTyped(t.float(), 'float32', [1, 0]);
  });

  it('print and list as booleans', () => {
    expect(t.toString()).toBe('tensor([ true, false])');
    expect(t.toArray()).toEqual([true, false]);
    expect(tensor(false).toArray()).toBe(false);
    expect(u8([3, 250]).toString()).toBe('tensor([  3, 250], dtype=uint8)');
    expect(tensor(true).item()).toBe(1);
  });

  it('survive slicing, reshaping and where', () => {
    const m = tensor([
      [true, false],
      [false, true],
    ]);
    expect(m.reshape([4]).dtype).toBe('bool');
    expectTyped(m.slice(null, 1), 'bool', [0, 1]);
    expect(m.transpose(0, 1).dtype).toBe('bool');
    expectTyped(where(t, t, tensor([true, true])), 'bool', [1, 1]);
    expectTyped(where(t, u8([3, 250]), int([5, -7])), 'int32', [3, -7]);
  });
});

describe('comparisons give bool', () => {
  it('against numbers, tensors and mixed dtypes', () => {
    expectTyped(tensor([1, 2, 3]).gt(2), 'bool', [0, 0, 1]);
    expectTyped(int([5, -7]).eq(u8([3, 250])), 'bool', [0, 0]);
    expectTyped(int([5, -7]).eq(2.5), 'bool', [0, 0]);
    expectTyped(t.eq(1), 'bool', [1, 0]);
    expectTyped(int([5]).isfinite(), 'bool', [1]);
    expectTyped(tensor([1, NaN, Infinity]).isfinite(), 'bool', [1, 0, 0]);
  });

  it('compare uint8 with a number wrapped into uint8, as PyTorch does', () => {
    expectTyped(u8([3, 250]).gt(-1), 'bool', [0, 0]);
    expectTyped(u8([3, 250]).eq(250), 'bool', [0, 1]);
  });
});

describe('promotion', () => {
  it('orders bool < uint8 < int32 < float32 < float64', () => {
    expect(promoteTypes('bool', 'uint8')).toBe('uint8');
    expect(promoteTypes('uint8', 'int32')).toBe('int32');
    expect(promoteTypes('bool', 'float32')).toBe('float32');
    expect(promoteTypes('float64', 'bool')).toBe('float64');
  });

  it('adds and multiplies bools as PyTorch does (bool results), refuses sub and neg', () => {
    expectTyped(t.add(t), 'bool', [1, 0]);
    expectTyped(t.mul(t), 'bool', [1, 0]);
    expectTyped(tensor([true, true]).add(tensor([true, false])), 'bool', [1, 1]);
    expectTyped(maximum(t, t), 'bool', [1, 0]);
    expectTyped(t.div(t), 'float32', [1, NaN]);
    expect(() => t.sub(t)).toThrow(/sub: not defined for two bool tensors.*logicalXor/);
    expect(() => t.neg()).toThrow(/neg: not defined for a bool tensor/);
    expect(() => t.pow(t)).toThrow(/pow: not defined for two bool tensors/);
  });

  it('with numbers: bool with an integer gives int32 (PyTorch int64), with a fraction float32', () => {
    expectTyped(t.add(1), 'int32', [2, 1]);
    expectTyped(t.mul(2), 'int32', [2, 0]);
    expectTyped(t.add(1.5), 'float32', [2.5, 1.5]);
    expectTyped(u8([3, 250]).add(1), 'uint8', [4, 251]);
    expectTyped(u8([3, 250]).add(300), 'uint8', [47, 38]);
    expectTyped(u8([3, 250]).mul(2), 'uint8', [6, 244]);
    expectTyped(u8([3, 250]).sub(u8([3, 250])), 'uint8', [0, 0]);
    expectTyped(u8([3, 250]).neg(), 'uint8', [253, 6]);
  });

  it('between tensors', () => {
    expectTyped(u8([3, 250]).add(t), 'uint8', [4, 250]);
    expectTyped(u8([3, 250]).add(int([5, -7])), 'int32', [8, 243]);
    expectTyped(int([5, -7]).add(t), 'int32', [6, -7]);
    expectTyped(u8([3, 250]).add(tensor([1.5])), 'float32', [4.5, 251.5]);
  });
});

describe('logical ops', () => {
  it('read any non-zero as true and give bool', () => {
    expectTyped(logicalAnd(int([5, -7]), tensor([1.5, 0])), 'bool', [1, 0]);
    expectTyped(logicalOr(tensor([0, 0, NaN]), 0), 'bool', [0, 0, 1]);
    expectTyped(logicalXor(t, tensor([true, true])), 'bool', [0, 1]);
    expectTyped(logicalNot(tensor([0, 2, NaN])), 'bool', [1, 0, 0]);
    expectTyped(tensor([[0], [3]]).logicalAnd(tensor([1, 0])), 'bool', [
      [0, 0],
      [1, 0],
    ]);
  });

  it('any and all reduce over all elements or an axis, with keepdims', () => {
    expectTyped(any(int([5, -7])), 'bool', 1);
    expectTyped(all(u8([3, 250])), 'bool', 1);
    expectTyped(any(tensor([NaN])), 'bool', 1);
    expectTyped(
      all(
        int([
          [1, 0],
          [1, 1],
        ]),
        -1,
      ),
      'bool',
      [0, 1],
    );
    expectTyped(
      tensor([
        [0, 1],
        [0, 0],
      ]).any(1, true),
      'bool',
      [[1], [0]],
    );
    expectTyped(
      tensor([
        [0, 1],
        [0, 0],
      ]).all(0),
      'bool',
      [0, 0],
    );
  });

  it('any of nothing is false, all of nothing is true', () => {
    expectTyped(any(zeros([2, 0]), 1), 'bool', [0, 0]);
    expectTyped(all(zeros([2, 0]), 1), 'bool', [1, 1]);
    expectTyped(tensor([], { dtype: 'bool' }).all(), 'bool', 1);
  });
});

describe('safetensors', () => {
  it('writes bool as BOOL and uint8 as U8, and reads them back as such', () => {
    const bytes = encodeSafetensors({ mask: t, image: u8([3, 250]) }, undefined, {
      checksums: false,
    });
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(header).toContain('"dtype":"BOOL"');
    expect(header).toContain('"dtype":"U8"');
    const back = decodeSafetensors(bytes).tensors;
    expectTyped(back.get('mask')!, 'bool', [1, 0]);
    expect(back.get('mask')!.data).toBeInstanceOf(BoolArray);
    expectTyped(back.get('image')!, 'uint8', [3, 250]);
  });
});
