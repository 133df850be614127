import { describe, expect, it } from 'vitest';
import type { DType } from '../../src/tensor/dtype.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { f32, file, headerText } from './safetensors-helpers.js';

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
    expectTensor('pixels', 'uint8', [3], [0, 128, 255]);
    expectTensor('mask', 'bool', [3], [1, 0, 1]);
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
