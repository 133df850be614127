/**
 * Reading and writing the safetensors format (Hugging Face's; read by PyTorch, JAX, NumPy and
 * others), on bytes, so that it runs in browsers as well as Node.js.
 *
 * The layout:
 *
 * ```text
 * 8 bytes    N, the header length: an unsigned 64-bit little-endian integer
 * N bytes    the header: UTF-8 JSON, padded with spaces so that 8 + N is a multiple of 8
 *            { "__metadata__": { "key": "value", … },
 *              "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, … }
 * the rest   the data section: each tensor's elements, row-major, little-endian, at
 *            [begin, end) counted from the start of the data section; the tensors cover it
 *            exactly, with no gaps and no overlaps
 * ```
 */
import { kindOf } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import {
  FILE_DTYPE_OF,
  FILE_DTYPES,
  HOST_LITTLE_ENDIAN,
  isFileDType,
  readElements,
  writeElements,
  type FileDType,
} from './bytes.js';
import { JsonNumber, JsonSyntaxError, parseJson, type JsonObject, type JsonValue } from './json.js';

/**
 * The largest header accepted or written, in bytes: the limit of the reference implementation
 * (real headers are a few kilobytes to a few megabytes).
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** A safetensors file that cannot be read: the message starts with the file's name and says what is wrong. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** What a safetensors file holds. */
export interface SafetensorsContents {
  /** The tensors, in the order of the file's header. */
  tensors: Map<string, Tensor>;
  /** The header's `__metadata__` (empty when there is none). */
  metadata: Record<string, string>;
}

const ELEMENT_BYTES: Record<DType, number> = { float64: 8, float32: 4, int32: 4 };

/**
 * Encodes tensors, and optionally string metadata, as a safetensors file.
 *
 * float32, float64 and int32 tensors are written as F32, F64 and I32. The header lists the
 * tensors in the order given (a Map keeps any order; a plain object lists integer-like keys
 * first, as JavaScript does). In the data section the tensors are ordered by element size,
 * largest first, and otherwise as given, so that every tensor starts at a multiple of its element
 * size, as the reference writer arranges it; readers find each tensor by its offsets.
 *
 * @example
 * const bytes = encodeSafetensors({ weight: tensor([[1, 2], [3, 4]]) }, { format: 'pt' });
 * decodeSafetensors(bytes).tensors.get('weight')?.toArray(); // => [[1, 2], [3, 4]]
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const where = 'encodeSafetensors';
  if (tensors === null || typeof tensors !== 'object') {
    throw new TypeError(`${where}: expected a Map or an object of tensors, got ${kindOf(tensors)}`);
  }
  const entries: [string, Tensor][] =
    tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name, t] of entries) {
    if (typeof name !== 'string') {
      throw new TypeError(`${where}: tensor names must be strings, got ${kindOf(name)}`);
    }
    if (name === '__metadata__') {
      throw new Error(`${where}: "__metadata__" is reserved for the metadata; rename that tensor`);
    }
    if (!isWellFormed(name)) {
      throw new Error(`${where}: tensor name ${quote(name)} holds an unpaired UTF-16 surrogate`);
    }
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${where}: ${quote(name)} must be a Tensor, got ${kindOf(t)}`);
    }
  }
  let metadataJson = '';
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new TypeError(
        `${where}: metadata must be an object of strings, got ${kindOf(metadata)}`,
      );
    }
    const items = Object.entries(metadata).map(([key, value]) => {
      if (typeof value !== 'string') {
        throw new TypeError(
          `${where}: metadata values must be strings; ${quote(key)} is ${kindOf(value)}`,
        );
      }
      if (!isWellFormed(key) || !isWellFormed(value)) {
        throw new Error(`${where}: metadata ${quote(key)} holds an unpaired UTF-16 surrogate`);
      }
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    metadataJson = `"__metadata__":{${items.join(',')}}`;
  }

  // Data order: largest elements first (a stable sort keeps the given order otherwise).
  const layout = entries
    .map((entry, index) => index)
    .sort((a, b) => ELEMENT_BYTES[entries[b][1].dtype] - ELEMENT_BYTES[entries[a][1].dtype]);
  const begins = new Array<number>(entries.length);
  let dataLength = 0;
  for (const i of layout) {
    begins[i] = dataLength;
    dataLength += entries[i][1].size * ELEMENT_BYTES[entries[i][1].dtype];
  }

  const fields = entries.map(([name, t], i) => {
    const end = begins[i] + t.size * ELEMENT_BYTES[t.dtype];
    return (
      `${JSON.stringify(name)}:{"dtype":"${FILE_DTYPE_OF[t.dtype]}",` +
      `"shape":[${t.shape.join(',')}],"data_offsets":[${begins[i]},${end}]}`
    );
  });
  if (metadataJson !== '') fields.unshift(metadataJson);
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new RangeError(
      `${where}: the header would take ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} ` +
        'that safetensors readers accept (too many tensors, or names or metadata too long)',
    );
  }

  const total = 8 + headerLength + dataLength;
  let out: Uint8Array;
  try {
    out = new Uint8Array(total);
  } catch {
    throw new RangeError(`${where}: cannot allocate ${total} bytes for the file`);
  }
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // the high 32 bits stay 0: headerLength < 2^32
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // pad with spaces
  const dataStart = 8 + headerLength;
  entries.forEach(([, t], i) =>
    writeElements(t.data, out, dataStart + begins[i], HOST_LITTLE_ENDIAN),
  );
  return out;
}

/** One tensor's entry in a header, checked. */
interface Entry {
  key: string;
  type: FileDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Decodes a safetensors file. F64 becomes float64; F32, F16 and BF16 become float32; I32, I16, I8,
 * U16, U8 and BOOL (as 0 and 1) become int32, and so do I64, U64 and U32 when every element fits.
 * The tensors hold copies of the data: they share nothing with `bytes`.
 *
 * The file is checked before anything is allocated for it, so a damaged or hostile file gives a
 * `SafetensorsError` whose message starts with `name` and says what is wrong: the header length,
 * the header's UTF-8 and JSON (duplicate keys included), each tensor's dtype, shape and
 * data_offsets against each other and the file, and that the tensors cover the data section
 * exactly (no gaps, no overlaps), as the format requires.
 *
 * @param name How to call the bytes in messages, usually the file's path.
 * @example
 * const bytes = encodeSafetensors({ bias: tensor([0.5, -1]) }, { format: 'pt' });
 * const { tensors, metadata } = decodeSafetensors(bytes, 'model.safetensors');
 * tensors.get('bias'); // => [0.5, -1]
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  name = 'safetensors data',
): SafetensorsContents {
  const fail = (problem: string): never => {
    throw new SafetensorsError(`${name}: ${problem}`);
  };
  const input = asBytes(bytes) ?? fail(`expected the bytes of a file, got ${kindOf(bytes)}`);

  if (input.length < 8) {
    fail(
      `${input.length} byte${input.length === 1 ? '' : 's'} is too short for a safetensors file, ` +
        'which starts with an 8-byte header length',
    );
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_BYTES) {
    fail(
      `the header length is ${view.getBigUint64(0, true)} bytes, more than the ` +
        `${MAX_HEADER_BYTES} allowed: this is not a safetensors file, or it is damaged`,
    );
  }
  const headerLength = low;
  if (8 + headerLength > input.length) {
    fail(
      `the header length is ${headerLength} bytes but only ${input.length - 8} bytes follow it: ` +
        'the file is truncated, or it is not a safetensors file',
    );
  }

  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      input.subarray(8, 8 + headerLength),
    );
  } catch {
    fail('the header is not valid UTF-8');
  }
  let header: JsonValue = null;
  try {
    header = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail(`the header is not valid JSON: ${e.message}`);
    throw e;
  }
  if (!(header instanceof Map)) fail(`the header must be a JSON object, got ${jsonKind(header)}`);

  const dataStart = 8 + headerLength;
  const dataLength = input.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [key, value] of header as JsonObject) {
    if (key === '__metadata__') {
      readMetadata(value, metadata, fail);
      continue;
    }
    entries.push(readEntry(key, value, dataLength, fail));
  }
  checkCoverage(entries, dataLength, fail);

  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    const data = readElements(e.type, input, dataStart + e.begin, count, HOST_LITTLE_ENDIAN);
    if (!ArrayBuffer.isView(data)) {
      return fail(
        `tensor ${quote(e.key)}: element ${data.index} is ${data.value}, which does not fit in ` +
          `int32 (nabla reads ${e.type} as int32)`,
      );
    }
    tensors.set(e.key, new Tensor(data, e.shape));
  }
  return { tensors, metadata };
}

function readMetadata(
  value: JsonValue,
  into: Record<string, string>,
  fail: (problem: string) => never,
): void {
  if (value === null) return; // the reference reader takes null as "no metadata"
  if (!(value instanceof Map)) {
    fail(`"__metadata__" must be an object of strings, got ${jsonKind(value)}`);
  }
  for (const [key, v] of value as JsonObject) {
    if (typeof v !== 'string') {
      fail(`"__metadata__" values must be strings; ${quote(key)} is ${jsonKind(v)}`);
    }
    // defineProperty, so that a key such as "__proto__" is kept as data.
    Object.defineProperty(into, key, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

const SUPPORTED = Object.keys(FILE_DTYPES).join(', ');

function readEntry(
  key: string,
  value: JsonValue,
  dataLength: number,
  fail: (problem: string) => never,
): Entry {
  const where = `tensor ${quote(key)}`;
  if (!(value instanceof Map)) {
    return fail(
      `${where}: expected an object with "dtype", "shape" and "data_offsets", got ${jsonKind(value)}`,
    );
  }
  // Other fields are ignored, as the reference reader ignores them.
  const field = (f: string): JsonValue =>
    value.has(f) ? (value.get(f) as JsonValue) : fail(`${where}: missing "${f}"`);

  const dtype = field('dtype');
  if (typeof dtype !== 'string')
    return fail(`${where}: "dtype" must be a string, got ${jsonKind(dtype)}`);
  if (!isFileDType(dtype)) {
    return fail(`${where}: dtype ${quote(dtype)} is not one nabla reads (it reads ${SUPPORTED})`);
  }

  const shapeValue = field('shape');
  if (!Array.isArray(shapeValue)) {
    return fail(`${where}: "shape" must be a list of sizes, got ${jsonKind(shapeValue)}`);
  }
  const shape = shapeValue.map((d, i) => {
    const n = sizeValue(d);
    return n ?? fail(`${where}: shape[${i}] must be a non-negative integer, got ${jsonText(d)}`);
  });

  const offsets = field('data_offsets');
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    return fail(`${where}: "data_offsets" must be [begin, end], got ${jsonText(offsets)}`);
  }
  const begin = sizeValue(offsets[0]);
  const end = sizeValue(offsets[1]);
  if (begin === undefined || end === undefined) {
    return fail(
      `${where}: "data_offsets" must be two non-negative integers, got ${jsonText(offsets)}`,
    );
  }
  if (begin > end) return fail(`${where}: data_offsets [${begin},${end}] end before they begin`);
  if (end > dataLength) {
    return fail(
      `${where}: data_offsets [${begin},${end}] reach past the end of the data section, ` +
        `which has ${dataLength} bytes: the file is truncated or damaged`,
    );
  }

  let count = 1;
  for (const d of shape) count *= d;
  const size = FILE_DTYPES[dtype].size;
  if (count > Number.MAX_SAFE_INTEGER || count * size !== end - begin) {
    const needs =
      count > Number.MAX_SAFE_INTEGER ? 'more bytes than any file holds' : `${count * size} bytes`;
    return fail(
      `${where}: shape ${formatShapeShort(shape)} of ${dtype} (${size} byte${size === 1 ? '' : 's'} ` +
        `each) needs ${needs}, but data_offsets [${begin},${end}] span ${end - begin}`,
    );
  }
  return { key, type: dtype, shape, begin, end };
}

/** The tensors must tile the data section: sorted by offsets, each begins where the last ended. */
function checkCoverage(
  entries: Entry[],
  dataLength: number,
  fail: (problem: string) => never,
): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < at && previous !== undefined) {
      fail(
        `tensors ${quote(previous.key)} (bytes ${previous.begin}-${previous.end}) and ` +
          `${quote(e.key)} (bytes ${e.begin}-${e.end}) overlap`,
      );
    }
    if (e.begin > at) {
      fail(
        `bytes ${at}-${e.begin} of the data section belong to no tensor (the gap is before ` +
          `${quote(e.key)}); safetensors requires the tensors to cover the data section exactly`,
      );
    }
    at = e.end;
    previous = e;
  }
  if (at !== dataLength) {
    fail(
      `bytes ${at}-${dataLength} of the data section belong to no tensor (${dataLength - at} ` +
        'extra bytes at the end); safetensors requires the tensors to cover the data section exactly',
    );
  }
}

/** A size as the format allows it: a plain non-negative integer literal, exact in a double. */
function sizeValue(v: JsonValue): number | undefined {
  if (!(v instanceof JsonNumber) || !/^(?:0|[1-9][0-9]*)$/.test(v.text)) return undefined;
  const n = Number(v.text);
  return n <= Number.MAX_SAFE_INTEGER ? n : undefined;
}

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return undefined;
}

function formatShapeShort(shape: number[]): string {
  return shape.length <= 8
    ? `[${shape.join(',')}]`
    : `[${shape.slice(0, 8).join(',')},…] (${shape.length} dimensions)`;
}

/** A string for messages: quoted, and cut short when long. */
function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

function jsonKind(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'an object';
  if (v instanceof JsonNumber)
    return `the number ${v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text}`;
  if (typeof v === 'string') return `the string ${quote(v)}`;
  return String(v);
}

/** A short rendering of a JSON value for messages. */
function jsonText(v: JsonValue): string {
  if (Array.isArray(v)) {
    const shown = v
      .slice(0, 4)
      .map((x) =>
        x instanceof JsonNumber || typeof x !== 'object' || x === null
          ? jsonScalar(x)
          : Array.isArray(x)
            ? '[…]'
            : '{…}',
      );
    return `[${shown.join(',')}${v.length > 4 ? ',…' : ''}]`;
  }
  return v instanceof Map ? 'an object' : jsonScalar(v);
}

function jsonScalar(v: JsonValue): string {
  if (v instanceof JsonNumber) return v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text;
  if (typeof v === 'string') return quote(v);
  return String(v);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
