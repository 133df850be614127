/**
 * The checks of a parsed safetensors header, before any tensor is allocated: the metadata, each
 * tensor's dtype, shape and data_offsets against each other and the data section, and that the
 * tensors cover the data section exactly.
 */
import { FILE_DTYPES, isFileDType, type FileDType } from './bytes.js';
import { JsonNumber, type JsonObject, type JsonValue } from './json.js';
import { formatShapeShort, jsonKind, jsonText, quote, type Fail } from './safetensors-format.js';

/** One tensor's entry in a header, checked. */
export interface Entry {
  key: string;
  type: FileDType;
  shape: number[];
  begin: number;
  end: number;
}

/** The header's metadata and tensor entries, each checked, in the header's order. */
export function readHeader(
  header: JsonObject,
  dataLength: number,
  fail: Fail,
): { metadata: Record<string, string>; entries: Entry[] } {
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [key, value] of header) {
    if (key === '__metadata__') {
      readMetadata(value, metadata, fail);
      continue;
    }
    entries.push(readEntry(key, value, dataLength, fail));
  }
  checkCoverage(entries, dataLength, fail);
  return { metadata, entries };
}

/** Copies the `__metadata__` strings into `into`, refusing anything but an object of strings. */
function readMetadata(value: JsonValue, into: Record<string, string>, fail: Fail): void {
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

/** One tensor's entry: its dtype, shape and data_offsets, checked in that order. */
function readEntry(key: string, value: JsonValue, dataLength: number, fail: Fail): Entry {
  const where = `tensor ${quote(key)}`;
  if (!(value instanceof Map)) {
    return fail(
      `${where}: expected an object with "dtype", "shape" and "data_offsets", got ${jsonKind(value)}`,
    );
  }
  // Other fields are ignored, as the reference reader ignores them.
  const field = (f: string): JsonValue =>
    value.has(f) ? (value.get(f) as JsonValue) : fail(`${where}: missing "${f}"`);

  const type = readDType(where, field('dtype'), fail);
  const shape = readShape(where, field('shape'), fail);
  const [begin, end] = readOffsets(where, field('data_offsets'), dataLength, fail);
  checkByteCount(where, type, shape, begin, end, fail);
  return { key, type, shape, begin, end };
}

/** The "dtype" field: one of the element types nabla reads. */
function readDType(where: string, dtype: JsonValue, fail: Fail): FileDType {
  if (typeof dtype !== 'string')
    return fail(`${where}: "dtype" must be a string, got ${jsonKind(dtype)}`);
  if (!isFileDType(dtype)) {
    return fail(`${where}: dtype ${quote(dtype)} is not one nabla reads (it reads ${SUPPORTED})`);
  }
  return dtype;
}

/** The "shape" field: a list of sizes. */
function readShape(where: string, shapeValue: JsonValue, fail: Fail): number[] {
  if (!Array.isArray(shapeValue)) {
    return fail(`${where}: "shape" must be a list of sizes, got ${jsonKind(shapeValue)}`);
  }
  return shapeValue.map((d, i) => {
    const n = sizeValue(d);
    return n ?? fail(`${where}: shape[${i}] must be a non-negative integer, got ${jsonText(d)}`);
  });
}

/** The "data_offsets" field: [begin, end], in order, inside the data section. */
function readOffsets(
  where: string,
  offsets: JsonValue,
  dataLength: number,
  fail: Fail,
): [number, number] {
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
  return [begin, end];
}

/** The shape's elements of the dtype must take exactly the bytes the offsets span. */
function checkByteCount(
  where: string,
  dtype: FileDType,
  shape: number[],
  begin: number,
  end: number,
  fail: Fail,
): void {
  let count = 1;
  for (const d of shape) count *= d;
  const size = FILE_DTYPES[dtype].size;
  if (count > Number.MAX_SAFE_INTEGER || count * size !== end - begin) {
    const needs =
      count > Number.MAX_SAFE_INTEGER ? 'more bytes than any file holds' : `${count * size} bytes`;
    fail(
      `${where}: shape ${formatShapeShort(shape)} of ${dtype} (${size} byte${size === 1 ? '' : 's'} ` +
        `each) needs ${needs}, but data_offsets [${begin},${end}] span ${end - begin}`,
    );
  }
}

/** The tensors must tile the data section: sorted by offsets, each begins where the last ended. */
function checkCoverage(entries: Entry[], dataLength: number, fail: Fail): void {
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
