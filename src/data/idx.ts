import { formatValue } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { checkAllocation } from './limits.js';

/** Options of {@link parseIdx}. */
export interface IdxOptions {
  /**
   * Turn unsigned-byte data (type 0x08, MNIST's images) into float32 in [0, 1] by dividing by 255
   * (default false: int32 values 0…255, as labels want). Only unsigned-byte data can be scaled.
   */
  scale?: boolean;
}

/** The IDX element types: code → name, size in bytes. */
const TYPES: Readonly<Record<number, { name: string; size: number }>> = {
  0x08: { name: 'unsigned byte', size: 1 },
  0x09: { name: 'signed byte', size: 1 },
  0x0b: { name: 'short', size: 2 },
  0x0c: { name: 'int', size: 4 },
  0x0d: { name: 'float', size: 4 },
  0x0e: { name: 'double', size: 8 },
};

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (already decompressed): two zero bytes, a type
 * code, the number of dimensions, one big-endian 32-bit size per dimension, then the elements,
 * big-endian, row-major.
 *
 * Element types become tensors as follows: unsigned and signed bytes, shorts and ints → int32
 * (unsigned bytes → float32 in [0, 1] with `{ scale: true }`); floats → float32; doubles →
 * float64. The declared sizes are checked against the number of bytes before anything is
 * allocated, so a truncated file or a corrupt header fails with a message, not a crash.
 *
 * @param bytes - the whole file.
 * @param name - what to call the data in error messages, such as its file name.
 * @throws Error naming `name` and the problem: not IDX (the hint says so when the bytes look
 *   gzipped), an unknown type code, a truncated header or body, or bytes left over.
 * @example
 * // Two 2×2 images: type 8 (unsigned byte), 3 dimensions, sizes 2, 2 and 2, then the pixels.
 * const header = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2];
 * const bytes = Uint8Array.of(...header, 0, 51, 102, 255, 255, 0, 0, 0);
 * const images = parseIdx(bytes, 'train-images-idx3-ubyte', { scale: true }); // float32 [2, 2, 2]
 * images.get(0).toArray(); // => [[0, 0.2], [0.4, 1]]
 * const labels = parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 7, 3), 'train-labels-idx1-ubyte');
 * labels.toArray(); // => [7, 3]
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data', options: IdxOptions = {}): Tensor {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `parseIdx: ${name}: expected the bytes as a Uint8Array, got ${formatValue(bytes)}`,
    );
  }
  const fail = (problem: string): never => {
    throw new Error(`${name}: ${problem}`);
  };
  const header = readHeader(bytes, fail);
  checkBodyLength(bytes, header, fail);
  const { code, type } = header;
  if (options.scale && code !== 0x08) {
    fail(
      `scale applies to unsigned-byte IDX data (0x08), but this data holds ${type.name}s (${hex(code)})`,
    );
  }
  const dtype = code === 0x0e ? 'float64' : code === 0x0d || options.scale ? 'float32' : 'int32';
  checkAllocation(
    header.count,
    dtype === 'float64' ? 8 : 4,
    `shape ${formatShape(header.shape)} as ${dtype}`,
    name,
  );
  return readElements(bytes, header, Boolean(options.scale));
}

/** What the start of an IDX file declares, from {@link declaredIdx}. */
export interface DeclaredIdx {
  /** The whole file's length in bytes as the header declares it: header plus elements. */
  length: number;
  shape: number[];
  /** The element type's name, such as 'unsigned byte'. */
  typeName: string;
}

/**
 * The length in bytes an IDX file declares in its header (header plus elements), from its first
 * bytes; undefined when those bytes are too few to hold the header or are not an IDX header (then
 * {@link parseIdx} says what is wrong).
 *
 * @internal Lets the Node reader bound decompression by what the header declares.
 */
export function declaredIdx(bytes: Uint8Array): DeclaredIdx | undefined {
  let header: IdxHeader;
  try {
    header = readHeader(bytes, (problem) => {
      throw new Error(problem);
    });
  } catch {
    return undefined;
  }
  const { shape, count, type, headerLength } = header;
  return { length: headerLength + count * type.size, shape, typeName: type.name };
}

/** How many bytes an IDX header takes, judging by its first four (4 while fewer are known). */
export function idxHeaderLength(bytes: Uint8Array): number {
  return bytes.length < 4 ? 4 : 4 + 4 * bytes[3];
}

/** Throws an error about the data, with `problem` after its name. */
type Fail = (problem: string) => never;

/** What an IDX header declares: the element type and the shape, and where the elements start. */
interface IdxHeader {
  code: number;
  type: { name: string; size: number };
  shape: number[];
  /** The number of elements, the product of the shape. */
  count: number;
  /** The header's length in bytes: where the elements start. */
  headerLength: number;
}

/** The magic number (two zero bytes, a known type code, at least one dimension) and the sizes. */
function readHeader(bytes: Uint8Array, fail: Fail): IdxHeader {
  if (bytes.length < 4) {
    fail(`not an IDX file: ${bytes.length} bytes, too short for the 4-byte magic number`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
    fail(
      `not an IDX file: the magic number must start with 0x00 0x00, got ${hex(bytes[0])} ${hex(bytes[1])}` +
        (gz ? ' (these bytes look gzip-compressed: decompress them first)' : ''),
    );
  }
  const code = bytes[2];
  const type = TYPES[code];
  if (type === undefined) {
    fail(
      `unknown IDX element type ${hex(code)}; expected 0x08 (unsigned byte), 0x09 (signed byte), ` +
        '0x0b (short), 0x0c (int), 0x0d (float) or 0x0e (double)',
    );
  }
  const ndim = bytes[3];
  if (ndim === 0) fail('the IDX header declares 0 dimensions');
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) {
    fail(
      `truncated IDX header: ${ndim} dimensions need ${headerLength} header bytes, but the data has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size > 0x7fffffff) fail(`dimension ${d} declares a size of ${size}, more than 2^31 - 1`);
    shape.push(size);
    count *= size;
  }
  return { code, type, shape, count, headerLength };
}

/** The bytes after the header must be exactly the declared elements: none missing, none extra. */
function checkBodyLength(bytes: Uint8Array, header: IdxHeader, fail: Fail): void {
  const { type, shape, count, headerLength } = header;
  // count × size is exact for any count a real file can hold; larger values compare as larger.
  const bodyLength = count * type.size;
  const available = bytes.length - headerLength;
  if (bodyLength > available) {
    fail(
      `truncated IDX data: the header declares shape ${formatShape(shape)} of ${type.name}s ` +
        `(${bodyLength} bytes of data), but only ${available} bytes follow the header`,
    );
  }
  if (bodyLength < available) {
    fail(
      `${available - bodyLength} unexpected bytes after the IDX data of shape ${formatShape(shape)} ` +
        `(${type.name}s); the file may be corrupt or not what it is named`,
    );
  }
}

/** The elements, big-endian, as a tensor of the dtype their type becomes (checked beforehand). */
function readElements(bytes: Uint8Array, header: IdxHeader, scale: boolean): Tensor {
  const { code, shape, count, headerLength: at } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (code) {
    case 0x08: {
      if (scale) {
        const out = new Float32Array(count);
        for (let i = 0; i < count; i++) out[i] = bytes[at + i] / 255;
        return new Tensor(out, shape);
      }
      return new Tensor(Int32Array.from(bytes.subarray(at, at + count)), shape);
    }
    case 0x09: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt8(at + i);
      return new Tensor(out, shape);
    }
    case 0x0b: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, false);
      return new Tensor(out, shape);
    }
    case 0x0c: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, false);
      return new Tensor(out, shape);
    }
    case 0x0d: {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return new Tensor(out, shape);
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return new Tensor(out, shape);
    }
  }
}
