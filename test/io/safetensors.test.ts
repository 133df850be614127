import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { allocate, type DType } from '../../src/tensor/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  SafetensorsError,
} from '../../src/io/safetensors.js';

const ascii = (s: string): number[] => Array.from(new TextEncoder().encode(s));
const u64 = (n: number): number[] => [
  n & 0xff,
  (n >>> 8) & 0xff,
  (n >>> 16) & 0xff,
  n >>> 24,
  0,
  0,
  0,
  0,
];
const f32 = (values: number[]): number[] =>
  Array.from(new Uint8Array(new Float32Array(values).buffer));

/** A file as the format describes it: length, header (as given, no padding added), data. */
function file(header: string, data: number[] = []): Uint8Array {
  const h = ascii(header);
  return new Uint8Array([...u64(h.length), ...h, ...data]);
}

const headerText = (bytes: Uint8Array): string => {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
};

/** Expects decoding to fail with a SafetensorsError whose message starts with the name and matches. */
function expectFailure(bytes: Uint8Array, pattern: RegExp, name = 'model.safetensors'): void {
  let error: unknown;
  try {
    decodeSafetensors(bytes, name);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SafetensorsError);
  const message = (error as Error).message;
  expect(message.startsWith(`${name}: `), message).toBe(true);
  expect(message).toMatch(pattern);
  expect(message).not.toContain('\n');
}

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
    expect(Array.from(encodeSafetensors({ 'attn.0': t }))).toEqual(expected);
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
    expect(Array.from(encodeSafetensors(new Map([['attn0', t]])))).toEqual(expected);
  });

  it('writes an empty file and metadata as the reference writer does', () => {
    expect(Array.from(encodeSafetensors({}))).toEqual([...u64(8), ...ascii('{}      ')]);
    expect(Array.from(encodeSafetensors({}, { framework: 'pt' }))).toEqual([
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

describe('decodeSafetensors: files from other writers', () => {
  // Written by Python safetensors 0.8.0 (safetensors.numpy.save) from:
  //   weight float32 [[1,-2,3.5],[0.25,-0.0,1e-3]], half float16 [1.5,-2,65504,2**-24],
  //   steps int64 [-3, 2**31-1], mask bool [True,False,True], pixels uint8 [0,128,255],
  //   scale float64 0.5 (0-d), empty int32 zeros((0,2)); metadata {'format': 'np'}.
  // Its header is 447 bytes of JSON and one space of padding; the data are sorted by dtype.
  const PYTHON_FILE =
    'c0010000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a226e70227d2c227374657073223a7b226474797065223a22493634222c227368617065223a5b325d2c22646174615f6f666673657473223a5b302c31365d7d2c227363616c65223a7b226474797065223a22463634222c227368617065223a5b5d2c22646174615f6f666673657473223a5b31362c32345d7d2c22776569676874223a7b226474797065223a22463332222c227368617065223a5b322c335d2c22646174615f6f666673657473223a5b32342c34385d7d2c22656d707479223a7b226474797065223a22493332222c227368617065223a5b302c325d2c22646174615f6f666673657473223a5b34382c34385d7d2c2268616c66223a7b226474797065223a22463136222c227368617065223a5b345d2c22646174615f6f666673657473223a5b34382c35365d7d2c22706978656c73223a7b226474797065223a225538222c227368617065223a5b335d2c22646174615f6f666673657473223a5b35362c35395d7d2c226d61736b223a7b226474797065223a22424f4f4c222c227368617065223a5b335d2c22646174615f6f666673657473223a5b35392c36325d7d7d20fdffffffffffffffffffff7f00000000000000000000e03f0000803f000000c0000060400000803e000000806f12833a003e00c0ff7b01000080ff010001';
  const bytes = Uint8Array.from(PYTHON_FILE.match(/../g) as string[], (h) => parseInt(h, 16));

  it('reads every tensor with the dtype nabla gives it', () => {
    expect(headerText(bytes).endsWith('} ')).toBe(true);
    const { tensors, metadata } = decodeSafetensors(bytes, 'python.safetensors');
    expect(metadata).toEqual({ format: 'np' });
    expect([...tensors.keys()]).toEqual([
      'steps',
      'scale',
      'weight',
      'empty',
      'half',
      'pixels',
      'mask',
    ]);
    const get = (k: string): Tensor => tensors.get(k) as Tensor;
    const expectTensor = (k: string, dtype: DType, shape: number[], values: number[]): void => {
      expect(get(k).dtype, k).toBe(dtype);
      expect(get(k).shape, k).toEqual(shape);
      expect(Array.from(get(k).data), k).toEqual(values);
    };
    expectTensor('steps', 'int32', [2], [-3, 2147483647]);
    expectTensor('scale', 'float64', [], [0.5]);
    expectTensor('weight', 'float32', [2, 3], [1, -2, 3.5, 0.25, -0, Math.fround(1e-3)]);
    expectTensor('empty', 'int32', [0, 2], []);
    expectTensor('half', 'float32', [4], [1.5, -2, 65504, 2 ** -24]);
    expectTensor('pixels', 'int32', [3], [0, 128, 255]);
    expectTensor('mask', 'int32', [3], [1, 0, 1]);
    expect(Object.is(get('weight').data[4], -0)).toBe(true);
  });

  it('reads BF16, F16 specials, I8, I16, U16, U32 and U64', () => {
    const le16 = (...v: number[]): number[] => v.flatMap((x) => [x & 0xff, x >> 8]);
    const header = {
      bf: { dtype: 'BF16', shape: [6], data_offsets: [0, 12] },
      h: { dtype: 'F16', shape: [6], data_offsets: [12, 24] },
      i8: { dtype: 'I8', shape: [2], data_offsets: [24, 26] },
      i16: { dtype: 'I16', shape: [2], data_offsets: [26, 30] },
      u16: { dtype: 'U16', shape: [1], data_offsets: [30, 32] },
      u32: { dtype: 'U32', shape: [1], data_offsets: [32, 36] },
      u64: { dtype: 'U64', shape: [1], data_offsets: [36, 44] },
    };
    const data = [
      ...le16(0x3f80, 0xc020, 0x7f80, 0xff80, 0x0001, 0x8000), // 1, -2.5, inf, -inf, 2^-133, -0
      ...le16(0x3c00, 0x7c00, 0xfc00, 0x7e00, 0x0001, 0x03ff), // 1, inf, -inf, NaN, 2^-24, max subnormal
      ...[0x80, 0x7f],
      ...le16(0x8000, 0x7fff),
      ...le16(0xffff),
      ...[0xff, 0xff, 0xff, 0x7f],
      ...[5, 0, 0, 0, 0, 0, 0, 0],
    ];
    const { tensors } = decodeSafetensors(file(JSON.stringify(header), data));
    const values = (k: string): number[] => Array.from((tensors.get(k) as Tensor).data);
    expect(values('bf')).toEqual([1, -2.5, Infinity, -Infinity, 2 ** -133, -0]);
    expect(Object.is(values('bf')[5], -0)).toBe(true);
    expect(values('h')).toEqual([1, Infinity, -Infinity, NaN, 2 ** -24, 1023 * 2 ** -24]);
    expect(values('i8')).toEqual([-128, 127]);
    expect(values('i16')).toEqual([-32768, 32767]);
    expect(values('u16')).toEqual([65535]);
    expect(values('u32')).toEqual([2147483647]);
    expect(values('u64')).toEqual([5]);
    for (const k of ['bf', 'h']) expect(tensors.get(k)?.dtype).toBe('float32');
  });

  it('takes the header in any key order, with whitespace, extra fields and null metadata', () => {
    const header =
      ' {\n "b": {"data_offsets": [4, 8], "shape": [1], "dtype": "F32", "extra": {"x": [1]}},\r\n' +
      '\t"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "__metadata__": null}   ';
    const { tensors, metadata } = decodeSafetensors(file(header, f32([1, 2])));
    expect([...tensors.keys()]).toEqual(['b', 'a']);
    expect(tensors.get('a')?.item()).toBe(1);
    expect(tensors.get('b')?.item()).toBe(2);
    expect(metadata).toEqual({});
  });

  it('takes zero-size tensors anywhere, also at the same offset', () => {
    const header =
      '{"z1":{"dtype":"F64","shape":[0],"data_offsets":[4,4]},' +
      '"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
      '"z0":{"dtype":"I32","shape":[2,0],"data_offsets":[0,0]},' +
      '"z2":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}';
    const { tensors } = decodeSafetensors(file(header, f32([3])));
    expect(tensors.get('z1')?.shape).toEqual([0]);
    expect(tensors.get('z0')?.shape).toEqual([2, 0]);
    expect(tensors.get('w')?.item()).toBe(3);
  });
});

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
