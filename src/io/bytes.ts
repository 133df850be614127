/**
 * Element codecs for tensor files: nabla's typed arrays to and from little-endian bytes, and the
 * narrower or wider element types other tools write (F16, BF16, I64, …) to nabla's dtypes.
 *
 * Each function takes `hostLittleEndian`: on a little-endian machine (every common CPU) elements
 * are copied as raw bytes; otherwise each element goes through a DataView. The DataView path is
 * correct on any machine, so tests run it on little-endian ones too.
 */
import { BoolArray, type DType, type TypedArray } from '../tensor/dtype.js';

/** True when this machine stores numbers little-endian. Decided once, when the module loads. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The element types nabla reads from tensor files, with their size in bytes and the dtype they become. */
export const FILE_DTYPES = {
  F64: { size: 8, dtype: 'float64' },
  F32: { size: 4, dtype: 'float32' },
  F16: { size: 2, dtype: 'float32' },
  BF16: { size: 2, dtype: 'float32' },
  I64: { size: 8, dtype: 'int32' },
  I32: { size: 4, dtype: 'int32' },
  I16: { size: 2, dtype: 'int32' },
  I8: { size: 1, dtype: 'int32' },
  U64: { size: 8, dtype: 'int32' },
  U32: { size: 4, dtype: 'int32' },
  U16: { size: 2, dtype: 'int32' },
  U8: { size: 1, dtype: 'uint8' },
  BOOL: { size: 1, dtype: 'bool' },
} as const satisfies Record<string, { size: number; dtype: DType }>;

/** The name of an element type nabla reads from tensor files (safetensors' spelling). */
export type FileDType = keyof typeof FILE_DTYPES;

export function isFileDType(name: string): name is FileDType {
  return Object.prototype.hasOwnProperty.call(FILE_DTYPES, name);
}

/** The file element type each dtype is written as. */
export const FILE_DTYPE_OF: Record<DType, FileDType> = {
  float64: 'F64',
  float32: 'F32',
  int32: 'I32',
  uint8: 'U8',
  bool: 'BOOL',
};

/** An integer that does not fit in int32: its element index and its value as written. */
export interface Overflow {
  index: number;
  value: string;
}

/** Writes the elements of `src` little-endian into `out`, starting at byte `offset`. */
export function writeElements(
  src: TypedArray,
  out: Uint8Array,
  offset: number,
  hostLittleEndian = HOST_LITTLE_ENDIAN,
): void {
  if (hostLittleEndian || src instanceof Uint8Array) {
    // One-byte elements (uint8, bool) have no byte order.
    out.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, src.byteLength);
  if (src instanceof Float64Array) {
    // Through the bit pattern, so that NaN payloads survive.
    const bits = new BigUint64Array(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < bits.length; i++) view.setBigUint64(i * 8, bits[i], true);
  } else {
    const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < bits.length; i++) view.setUint32(i * 4, bits[i], true);
  }
}

/**
 * Reads `count` elements of `type` from `bytes`, starting at byte `start`, into a new (so aligned,
 * unshared) typed array of the matching nabla dtype. The caller has checked that the bytes are
 * there. Returns the first element that does not fit in int32 instead, for the wide integer types.
 */
export function readElements(
  type: FileDType,
  bytes: Uint8Array,
  start: number,
  count: number,
  hostLittleEndian = HOST_LITTLE_ENDIAN,
): TypedArray | Overflow {
  const nbytes = count * FILE_DTYPES[type].size;
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, nbytes);
  switch (type) {
    case 'F64': {
      const out = new Float64Array(count);
      if (hostLittleEndian) copyBytes(out, bytes, start, nbytes);
      else {
        const bits = new BigUint64Array(out.buffer);
        for (let i = 0; i < count; i++) bits[i] = view.getBigUint64(i * 8, true);
      }
      return out;
    }
    case 'F32':
    case 'I32': {
      const out = type === 'F32' ? new Float32Array(count) : new Int32Array(count);
      if (hostLittleEndian) copyBytes(out, bytes, start, nbytes);
      else {
        const bits = new Uint32Array(out.buffer);
        for (let i = 0; i < count; i++) bits[i] = view.getUint32(i * 4, true);
      }
      return out;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift its bits into place.
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(i * 2, true));
      return out;
    }
    case 'I16':
    case 'U16':
    case 'I8': {
      const out = new Int32Array(count);
      if (type === 'I16') for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      else if (type === 'U16') for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
      else for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      return out;
    }
    case 'U8': // a copy, and a plain Uint8Array even when `bytes` is a Node Buffer
      return new Uint8Array(bytes.subarray(start, start + nbytes));
    case 'BOOL': // any byte but 0 is true, as PyTorch reads a bool
      return BoolArray.from(bytes.subarray(start, start + nbytes), (b) => (b === 0 ? 0 : 1));
    case 'U32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getUint32(i * 4, true);
        if (v > 0x7fffffff) return { index: i, value: String(v) };
        out[i] = v;
      }
      return out;
    }
    case 'I64':
    case 'U64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(i * 8, true);
        const hi = view.getInt32(i * 8 + 4, true);
        // Fits when the high word is the sign extension of the low word's top bit.
        const fits =
          (hi === 0 && lo <= 0x7fffffff) || (type === 'I64' && hi === -1 && lo > 0x7fffffff);
        if (!fits) {
          const wide =
            type === 'I64' ? view.getBigInt64(i * 8, true) : view.getBigUint64(i * 8, true);
          return { index: i, value: String(wide) };
        }
        out[i] = lo | 0;
      }
      return out;
    }
  }
}

function copyBytes(out: TypedArray, bytes: Uint8Array, start: number, nbytes: number): void {
  new Uint8Array(out.buffer, out.byteOffset, nbytes).set(bytes.subarray(start, start + nbytes));
}

/** The value of an IEEE 754 half-precision number given by its 16 bits (exact in float32). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (0x400 + fraction) * 2 ** (exponent - 25);
}
