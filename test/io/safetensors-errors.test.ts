import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { expectFailure, f32, file, u64 } from './safetensors-helpers.js';

describe('decodeSafetensors: errors name the file and the problem', () => {
  const entry = (dtype: string, shape: unknown, offsets: unknown): string =>
    `{"t":{"dtype":${JSON.stringify(dtype)},"shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}}`;

  it('uses "safetensors data" when no name is given', () => {
    expect(() => decodeSafetensors(new Uint8Array(3))).toThrow(
      /^safetensors data: 3 bytes is too short/,
    );
  });

  it('a file shorter than 8 bytes', () => {
    expectFailure(new Uint8Array(0), /0 bytes is too short for a safetensors file/);
    expectFailure(new Uint8Array(7), /7 bytes is too short/);
  });

  it('a header length beyond the file or absurdly large', () => {
    expectFailure(
      new Uint8Array([10, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d]),
      /header length is 10 bytes but only 2 bytes follow/,
    );
    expectFailure(
      new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0x80, 0x7b]),
      /header length is 9223372036854775808 bytes, more than the 100000000 allowed/,
    );
    expectFailure(
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      /18446744073709551615 bytes/,
    );
    expectFailure(
      new Uint8Array([0x01, 0xe1, 0xf5, 0x05, 0, 0, 0, 0]),
      /100000001 bytes, more than/,
    );
  });

  it('a header that is not UTF-8, not JSON, or not an object', () => {
    expectFailure(new Uint8Array([...u64(2), 0x7b, 0xff]), /the header is not valid UTF-8/);
    expectFailure(file('{"a":'), /not valid JSON: expected a value but found the end/);
    expectFailure(
      file('{"a":{}} x'),
      /not valid JSON: unexpected "x" after the end of the JSON value/,
    );
    expectFailure(file('{}\u0000'), /unexpected U\+0000 after the end/);
    expectFailure(file('\ufeff{}'), /expected a value but found U\+FEFF/);
    expectFailure(file(''), /not valid JSON/);
    expectFailure(file('[]'), /the header must be a JSON object, got a list/);
    expectFailure(file('"x"'), /must be a JSON object, got the string "x"/);
    expectFailure(file('{"a":"\\ud800"}'), /unpaired surrogate/);
    expectFailure(file(`{"a":${'['.repeat(100_000)}`), /nesting deeper than 64 levels/);
  });

  it('duplicate keys, at the top and inside a tensor', () => {
    const t = '{"dtype":"F32","shape":[0],"data_offsets":[0,0]}';
    expectFailure(file(`{"t":${t},"t":${t}}`), /duplicate key "t"/);
    expectFailure(
      file('{"t":{"dtype":"F32","dtype":"F32","shape":[0],"data_offsets":[0,0]}}'),
      /duplicate key "dtype"/,
    );
    expectFailure(file('{"__metadata__":{},"__metadata__":{}}'), /duplicate key "__metadata__"/);
  });

  it('tensor entries that are not objects or miss fields', () => {
    expectFailure(
      file('{"t":[1]}'),
      /tensor "t": expected an object with "dtype", "shape" and "data_offsets", got a list/,
    );
    expectFailure(file('{"t":{"shape":[],"data_offsets":[0,4]}}'), /tensor "t": missing "dtype"/);
    expectFailure(
      file('{"t":{"dtype":"F32","data_offsets":[0,4]}}'),
      /tensor "t": missing "shape"/,
    );
    expectFailure(file('{"t":{"dtype":"F32","shape":[]}}'), /tensor "t": missing "data_offsets"/);
  });

  it('unknown or unsupported dtypes', () => {
    expectFailure(
      file(entry('float32', [1], [0, 4]), f32([1])),
      /tensor "t": dtype "float32" is not one nabla reads \(it reads F64, F32, F16, BF16, I64/,
    );
    expectFailure(
      file(entry('F8_E4M3', [1], [0, 1]), [0]),
      /dtype "F8_E4M3" is not one nabla reads/,
    );
    expectFailure(
      file('{"t":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}'),
      /"dtype" must be a string, got the number 4/,
    );
    expectFailure(file(entry('__proto__', [1], [0, 4]), f32([1])), /dtype "__proto__" is not one/);
  });

  it('shapes that are not lists of non-negative integers', () => {
    expectFailure(
      file(entry('F32', 3, [0, 12])),
      /"shape" must be a list of sizes, got the number 3/,
    );
    expectFailure(
      file(entry('F32', [-1], [0, 0])),
      /shape\[0\] must be a non-negative integer, got -1/,
    );
    expectFailure(
      file(entry('F32', [2, 1.5], [0, 12])),
      /shape\[1\] must be a non-negative integer, got 1.5/,
    );
    expectFailure(file('{"t":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}'), /got 1e0/);
    expectFailure(
      file(entry('F32', ['2'], [0, 8])),
      /shape\[0\] must be a non-negative integer, got "2"/,
    );
    expectFailure(file(entry('F32', [null], [0, 0])), /got null/);
    expectFailure(file(entry('F32', [[1]], [0, 4])), /got \[1\]/);
    expectFailure(
      file('{"t":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,0]}}'),
      /got 99999999999999999999/,
    );
  });

  it('data_offsets that are not [begin, end] within the data section', () => {
    expectFailure(file(entry('F32', [1], [0])), /"data_offsets" must be \[begin, end\], got \[0\]/);
    expectFailure(
      file(entry('F32', [1], [0, 4, 4]), f32([1])),
      /must be \[begin, end\], got \[0,4,4\]/,
    );
    expectFailure(file(entry('F32', [1], { a: 1 })), /must be \[begin, end\], got an object/);
    expectFailure(
      file(entry('F32', [1], [-4, 0])),
      /must be two non-negative integers, got \[-4,0\]/,
    );
    expectFailure(file(entry('F32', [1], [0.5, 4.5]), f32([1])), /two non-negative integers/);
    expectFailure(
      file(entry('F32', [1], [8, 4]), f32([1, 2])),
      /data_offsets \[8,4\] end before they begin/,
    );
    expectFailure(
      file(entry('F32', [1], [0, 4])),
      /data_offsets \[0,4\] reach past the end of the data section, which has 0 bytes/,
    );
    expectFailure(file(entry('F32', [1], [2 ** 53, 2 ** 53 + 4])), /non-negative integers/);
  });

  it('byte counts that do not match shape × element size', () => {
    expectFailure(
      file(entry('F32', [2, 3], [0, 20]), new Array(20).fill(0)),
      /tensor "t": shape \[2,3\] of F32 \(4 bytes each\) needs 24 bytes, but data_offsets \[0,20\] span 20/,
    );
    expectFailure(file(entry('U8', [3], [0, 4]), [1, 2, 3, 4]), /\(1 byte each\) needs 3 bytes/);
    expectFailure(
      file(entry('F64', [2 ** 40, 2 ** 40], [0, 8]), new Array(8).fill(0)),
      /needs more bytes than any file holds/,
    );
    const manyDims = new Array(20).fill(1);
    expectFailure(
      file(entry('F32', manyDims, [0, 8]), new Array(8).fill(0)),
      /shape \[1,1,1,1,1,1,1,1,…\] \(20 dimensions\)/,
    );
  });

  it('overlaps, gaps and uncovered bytes', () => {
    const two = (a: number[], b: number[], bytes: number): Uint8Array =>
      file(
        `{"a":{"dtype":"U8","shape":[${a[1] - a[0]}],"data_offsets":${JSON.stringify(a)}},` +
          `"b":{"dtype":"U8","shape":[${b[1] - b[0]}],"data_offsets":${JSON.stringify(b)}}}`,
        new Array(bytes).fill(1),
      );
    expect(decodeSafetensors(two([2, 4], [0, 2], 4)).tensors.size).toBe(2); // any header order
    expectFailure(
      two([0, 4], [2, 6], 6),
      /tensors "a" \(bytes 0-4\) and "b" \(bytes 2-6\) overlap/,
    );
    expectFailure(two([0, 4], [0, 4], 4), /"a" \(bytes 0-4\) and "b" \(bytes 0-4\) overlap/);
    expectFailure(
      two([0, 2], [3, 4], 4),
      /bytes 2-3 of the data section belong to no tensor \(the gap is before "b"\)/,
    );
    expectFailure(two([1, 2], [2, 4], 4), /bytes 0-1 of the data section belong to no tensor/);
    expectFailure(
      two([0, 2], [2, 4], 6),
      /bytes 4-6 of the data section belong to no tensor \(2 extra bytes at the end\)/,
    );
    expectFailure(file('{}', [0]), /bytes 0-1 of the data section belong to no tensor/);
  });

  it('metadata that is not an object of strings', () => {
    expectFailure(
      file('{"__metadata__":{"n":1}}'),
      /"__metadata__" values must be strings; "n" is the number 1/,
    );
    expectFailure(file('{"__metadata__":{"n":{"x":"y"}}}'), /"n" is an object/);
    expectFailure(
      file('{"__metadata__":["a"]}'),
      /"__metadata__" must be an object of strings, got a list/,
    );
    expectFailure(file('{"__metadata__":"pt"}'), /got the string "pt"/);
  });

  it('int64 values that do not fit in int32', () => {
    const i64 = (lo: number, hi: number): number[] => {
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, lo >>> 0, true);
      view.setInt32(4, hi, true);
      return Array.from(new Uint8Array(view.buffer));
    };
    const header = entry('I64', [3], [0, 24]);
    expect(
      Array.from(
        decodeSafetensors(
          file(header, [...i64(0x7fffffff, 0), ...i64(0x80000000, -1), ...i64(-1, -1)]),
        ).tensors.get('t')?.data ?? [],
      ),
    ).toEqual([2147483647, -2147483648, -1]);
    expectFailure(
      file(header, [...i64(1, 0), ...i64(0x80000000, 0), ...i64(0, 0)]),
      /tensor "t": element 1 is 2147483648, which does not fit in int32 \(nabla reads I64 as int32\)/,
    );
    expectFailure(
      file(header, [...i64(1, 0), ...i64(2, 0), ...i64(0x7fffffff, -1)]),
      /element 2 is -2147483649/,
    );
    expectFailure(
      file(entry('U64', [1], [0, 8]), [0, 0, 0, 0, 1, 0, 0, 0]),
      /element 0 is 4294967296/,
    );
    expectFailure(
      file(entry('U32', [1], [0, 4]), [0, 0, 0, 0x80]),
      /element 0 is 2147483648, which does not fit in int32 \(nabla reads U32/,
    );
  });

  it('input that is not bytes', () => {
    expectFailure('abc' as unknown as Uint8Array, /expected the bytes of a file, got string/);
    expectFailure(null as unknown as Uint8Array, /got null/);
  });

  it('cuts long names short in messages', () => {
    const long = 'n'.repeat(10_000);
    let message = '';
    try {
      decodeSafetensors(file(`{"${long}":[]}`), 'x');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('…');
  });
});
