import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
} from '../../src/io/safetensors.js';
import { ascii, f32, headerText, u64 } from './safetensors-helpers.js';

/** Exactly what the reference writer writes: no checksums in the metadata. */
const NO_SUMS = { checksums: false };

describe('encodeSafetensors: the layout, byte for byte', () => {
  it('writes the 8-byte length, the JSON header and the little-endian data', () => {
    // The header is exactly 64 bytes, a multiple of 8: no padding.
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    const expected = [...u64(64), ...ascii(header), ...[0, 0, 0, 0, 0, 0, 128, 63]];
    expected.push(...[0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64]); // 2, 3, 4, 5
    const t = tensor([
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
    ]);
    expect(Array.from(encodeSafetensors({ 'attn.0': t }, undefined, NO_SUMS))).toEqual(expected);
  });

  it('pads the header with spaces so that the data start at a multiple of 8', () => {
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(65);
    const expected = [
      ...u64(72),
      ...ascii(header),
      ...ascii('       '),
      ...f32([0, 1, 2, 3, 4, 5]),
    ];
    const t = new Tensor(new Float32Array([0, 1, 2, 3, 4, 5]), [1, 1, 2, 3]);
    expect(Array.from(encodeSafetensors(new Map([['attn0', t]]), undefined, NO_SUMS))).toEqual(
      expected,
    );
  });

  it('writes an empty file and metadata as the reference writer does', () => {
    expect(Array.from(encodeSafetensors({}, undefined, NO_SUMS))).toEqual([
      ...u64(8),
      ...ascii('{}      '),
    ]);
    expect(Array.from(encodeSafetensors({}, { framework: 'pt' }, NO_SUMS))).toEqual([
      ...u64(40),
      ...ascii('{"__metadata__":{"framework":"pt"}}     '),
    ]);
  });

  it('writes F64, F32 and I32 with the metadata first', () => {
    const bytes = encodeSafetensors(
      new Map<string, Tensor>([
        ['b', tensor([1.5], { dtype: 'float64' })],
        ['a', tensor([7, -1], { dtype: 'int32' })],
      ]),
      { format: 'pt' },
      NO_SUMS,
    );
    expect(headerText(bytes).trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},' +
        '"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
        '"a":{"dtype":"I32","shape":[2],"data_offsets":[8,16]}}',
    );
    const data = bytes.subarray(bytes.length - 16);
    expect(Array.from(data)).toEqual([
      ...Array.from(new Uint8Array(new Float64Array([1.5]).buffer)),
      ...[7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
    ]);
  });

  it('lists tensors in the given order but puts 8-byte elements first in the data', () => {
    const bytes = encodeSafetensors(
      new Map<string, Tensor>([
        ['2', tensor([1, 2, 3], { dtype: 'float32' })],
        ['1', tensor([4], { dtype: 'float64' })],
        ['0', tensor([5], { dtype: 'int32' })],
      ]),
      undefined,
      NO_SUMS,
    );
    // Integer-like names keep the Map's order (a plain object would sort them).
    expect(headerText(bytes).trimEnd()).toBe(
      '{"2":{"dtype":"F32","shape":[3],"data_offsets":[8,20]},' +
        '"1":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
        '"0":{"dtype":"I32","shape":[1],"data_offsets":[20,24]}}',
    );
    expect([...decodeSafetensors(bytes).tensors.keys()]).toEqual(['2', '1', '0']);
  });

  it('refuses what the format cannot hold', () => {
    const t = tensor([1]);
    expect(() => encodeSafetensors({ __metadata__: t })).toThrow(/"__metadata__" is reserved/);
    expect(() => encodeSafetensors({ w: [1, 2] as unknown as Tensor })).toThrow(
      /encodeSafetensors: "w" must be a Tensor, got an array/,
    );
    expect(() => encodeSafetensors({ w: t }, { n: 3 as unknown as string })).toThrow(
      /metadata values must be strings; "n" is number/,
    );
    expect(() => encodeSafetensors({ ['bad\ud800']: t })).toThrow(/unpaired UTF-16 surrogate/);
    expect(() => encodeSafetensors(null as unknown as Record<string, Tensor>)).toThrow(
      /expected a Map or an object of tensors, got null/,
    );
  });

  it('refuses a header larger than readers accept', () => {
    const huge = 'x'.repeat(MAX_HEADER_BYTES);
    expect(() => encodeSafetensors({}, { huge })).toThrow(/more than the 100000000/);
  });
});
