import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { allocate, type DType } from '../../src/tensor/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { file } from './safetensors-helpers.js';

describe('round trips', () => {
  const cases: [string, DType, number[]][] = [
    ['0-d', 'float32', []],
    ['vector', 'float32', [5]],
    ['matrix', 'float64', [3, 4]],
    ['3-d', 'int32', [2, 3, 2]],
    ['empty', 'float32', [0]],
    ['empty rows', 'float64', [3, 0]],
    ['empty int', 'int32', [0, 2, 0]],
    ['0-d int', 'int32', []],
    ['0-d double', 'float64', []],
  ];

  it.each(cases)('%s %s tensor of shape %j', (_label, dtype, shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) =>
      dtype === 'int32' ? i * 7 - 20 : i / 3 - 1,
    );
    const data = allocate(dtype, size);
    data.set(values);
    const t = new Tensor(data, shape);
    const back = decodeSafetensors(encodeSafetensors({ t })).tensors.get('t') as Tensor;
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual(shape);
    expect(Array.from(back.data)).toEqual(Array.from(t.data));
  });

  it('keeps every bit: NaN, infinities, -0, extremes', () => {
    const f64 = new Float64Array([
      NaN,
      Infinity,
      -Infinity,
      -0,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
    ]);
    const f32 = new Float32Array([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]);
    const i32 = new Int32Array([-2147483648, 2147483647, 0, -1]);
    const bytes = encodeSafetensors({
      d: new Tensor(f64, [6]),
      f: new Tensor(f32, [2, 3]),
      i: new Tensor(i32, [4]),
    });
    const { tensors } = decodeSafetensors(bytes);
    const bits = (t: Tensor | undefined): number[] =>
      Array.from(new Uint8Array((t as Tensor).data.buffer));
    expect(bits(tensors.get('d'))).toEqual(Array.from(new Uint8Array(f64.buffer)));
    expect(bits(tensors.get('f'))).toEqual(Array.from(new Uint8Array(f32.buffer)));
    expect(bits(tensors.get('i'))).toEqual(Array.from(new Uint8Array(i32.buffer)));
  });

  it('keeps metadata, also unusual keys and text', () => {
    const metadata = {
      format: 'pt',
      '': 'empty key',
      __proto__x: 'y',
      note: 'héllo "wörld"\n\t✓ 𝔸',
    };
    const back = decodeSafetensors(encodeSafetensors({ w: tensor([1]) }, metadata));
    expect(back.metadata).toEqual(metadata);
    expect(decodeSafetensors(encodeSafetensors({ w: tensor([1]) })).metadata).toEqual({});
  });

  it('keeps a metadata key named __proto__ as data', () => {
    const bytes = file('{"__metadata__":{"__proto__":"x"}}');
    const { metadata } = decodeSafetensors(bytes);
    expect(Object.keys(metadata)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
  });

  it('copies the data out: tensors share nothing with the input and are aligned', () => {
    // A F64 tensor at an odd offset of an odd-offset view.
    const inner = file(
      '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"F64","shape":[1],"data_offsets":[1,9]}}',
      [7, ...Array.from(new Uint8Array(new Float64Array([2.5]).buffer))],
    );
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    const { tensors } = decodeSafetensors(outer.subarray(3));
    const b = tensors.get('b') as Tensor;
    expect(Array.from(b.data)).toEqual([2.5]);
    expect(b.data.buffer).not.toBe(outer.buffer);
    expect(b.data.byteOffset % 8).toBe(0);
    outer.fill(0);
    expect(Array.from(b.data)).toEqual([2.5]);
    expect(Array.from((tensors.get('a') as Tensor).data)).toEqual([7]);
  });

  it('takes a Node Buffer and an ArrayBuffer as well as a Uint8Array', () => {
    const bytes = encodeSafetensors({ w: tensor([1, 2]) });
    expect(decodeSafetensors(Buffer.from(bytes)).tensors.get('w')?.toArray()).toEqual([1, 2]);
    const copy = bytes.slice().buffer;
    expect(
      decodeSafetensors(copy as unknown as Uint8Array)
        .tensors.get('w')
        ?.toArray(),
    ).toEqual([1, 2]);
  });
});
