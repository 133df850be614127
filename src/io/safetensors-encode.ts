/**
 * The safetensors encoder: checks the tensors and the metadata, lays the tensors out in the data
 * section, writes the header and copies the elements.
 */
import { kindOf } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { BYTES_PER_ELEMENT } from '../tensor/dtype.js';
import { FILE_DTYPE_OF, HOST_LITTLE_ENDIAN, writeElements } from './bytes.js';
import { crc32Hex } from './crc32.js';
import { CHECKSUM_KEY, MAX_HEADER_BYTES, quote } from './safetensors-format.js';

const WHERE = 'encodeSafetensors';

/** Where each tensor's data begins (in the order given) and how long the data section is. */
interface Layout {
  begins: number[];
  dataLength: number;
}

/** Options of {@link encodeSafetensors}. */
export interface EncodeOptions {
  /**
   * Whether to record the CRC-32 of every tensor's bytes in the metadata, under
   * `"nabla.crc32"`, so that `decodeSafetensors` catches a damaged byte (default true). Other
   * readers ignore the entry; `false` writes exactly what the reference writer writes.
   */
  checksums?: boolean;
}

/**
 * Encodes tensors, and optionally string metadata, as a safetensors file.
 *
 * The CRC-32 of each tensor's bytes is recorded in the metadata under `"nabla.crc32"` (a JSON
 * object from tensor name to 8 hex digits), unless `options.checksums` is false; that key is
 * reserved, and `decodeSafetensors` checks the bytes against it and leaves it out of the
 * metadata it returns.
 *
 * float32, float64, int32, uint8 and bool tensors are written as F32, F64, I32, U8 and BOOL. The header lists the
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
  options: EncodeOptions = {},
): Uint8Array {
  const entries = checkedEntries(tensors);
  const items = metadata === undefined ? [] : metadataItems(metadata);
  if (options.checksums !== false) items.push(checksumItem(entries));
  const metadataJson = metadata === undefined && items.length === 0 ? '' : metadataField(items);
  const layout = dataLayout(entries);
  const json = headerJson(entries, layout, metadataJson);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new RangeError(
      `${WHERE}: the header would take ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} ` +
        'that safetensors readers accept (too many tensors, or names or metadata too long)',
    );
  }
  return writeFile(entries, layout, json, headerLength);
}

/** The (name, tensor) pairs in the order given, each name and tensor checked. */
function checkedEntries(tensors: Record<string, Tensor> | Map<string, Tensor>): [string, Tensor][] {
  if (tensors === null || typeof tensors !== 'object') {
    throw new TypeError(`${WHERE}: expected a Map or an object of tensors, got ${kindOf(tensors)}`);
  }
  const entries: [string, Tensor][] =
    tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name, t] of entries) {
    if (typeof name !== 'string') {
      throw new TypeError(`${WHERE}: tensor names must be strings, got ${kindOf(name)}`);
    }
    if (name === '__metadata__') {
      throw new Error(`${WHERE}: "__metadata__" is reserved for the metadata; rename that tensor`);
    }
    if (!isWellFormed(name)) {
      throw new Error(`${WHERE}: tensor name ${quote(name)} holds an unpaired UTF-16 surrogate`);
    }
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${WHERE}: ${quote(name)} must be a Tensor, got ${kindOf(t)}`);
    }
  }
  return entries;
}

/** The header's `"__metadata__":{…}` field from its `"key":"value"` items. */
function metadataField(items: string[]): string {
  return `"__metadata__":{${items.join(',')}}`;
}

/** The checksum item: the CRC-32 of each tensor's little-endian bytes, by name, as JSON. */
function checksumItem(entries: [string, Tensor][]): string {
  const sums: string[] = entries.map(
    ([name, t]) => `${JSON.stringify(name)}:"${crc32Hex(littleEndianBytes(t))}"`,
  );
  return `${JSON.stringify(CHECKSUM_KEY)}:${JSON.stringify(`{${sums.join(',')}}`)}`;
}

/** The bytes a tensor's elements take in the file (a view of them on a little-endian machine). */
function littleEndianBytes(t: Tensor): Uint8Array {
  const data = t.data;
  if (HOST_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  writeElements(data, out, 0, false);
  return out;
}

/** The metadata's `"key":"value"` items, each value checked to be a well-formed string. */
function metadataItems(metadata: Record<string, string>): string[] {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`${WHERE}: metadata must be an object of strings, got ${kindOf(metadata)}`);
  }
  return Object.entries(metadata).map(([key, value]) => {
    if (typeof value !== 'string') {
      throw new TypeError(
        `${WHERE}: metadata values must be strings; ${quote(key)} is ${kindOf(value)}`,
      );
    }
    if (key === CHECKSUM_KEY) {
      throw new Error(`${WHERE}: metadata ${quote(key)} is reserved for the tensors' checksums`);
    }
    if (!isWellFormed(key) || !isWellFormed(value)) {
      throw new Error(`${WHERE}: metadata ${quote(key)} holds an unpaired UTF-16 surrogate`);
    }
    return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  });
}

/** Data order: largest elements first (a stable sort keeps the given order otherwise). */
function dataLayout(entries: [string, Tensor][]): Layout {
  const order = entries
    .map((entry, index) => index)
    .sort(
      (a, b) => BYTES_PER_ELEMENT[entries[b][1].dtype] - BYTES_PER_ELEMENT[entries[a][1].dtype],
    );
  const begins = new Array<number>(entries.length);
  let dataLength = 0;
  for (const i of order) {
    begins[i] = dataLength;
    dataLength += entries[i][1].size * BYTES_PER_ELEMENT[entries[i][1].dtype];
  }
  return { begins, dataLength };
}

/** The header's JSON as UTF-8, unpadded: the metadata first, then the tensors in the order given. */
function headerJson(entries: [string, Tensor][], layout: Layout, metadataJson: string): Uint8Array {
  const { begins } = layout;
  const fields = entries.map(([name, t], i) => {
    const end = begins[i] + t.size * BYTES_PER_ELEMENT[t.dtype];
    return (
      `${JSON.stringify(name)}:{"dtype":"${FILE_DTYPE_OF[t.dtype]}",` +
      `"shape":[${t.shape.join(',')}],"data_offsets":[${begins[i]},${end}]}`
    );
  });
  if (metadataJson !== '') fields.unshift(metadataJson);
  return new TextEncoder().encode(`{${fields.join(',')}}`);
}

/** The whole file: the header length, the header padded with spaces, then the data section. */
function writeFile(
  entries: [string, Tensor][],
  layout: Layout,
  json: Uint8Array,
  headerLength: number,
): Uint8Array {
  const total = 8 + headerLength + layout.dataLength;
  let out: Uint8Array;
  try {
    out = new Uint8Array(total);
  } catch {
    throw new RangeError(`${WHERE}: cannot allocate ${total} bytes for the file`);
  }
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // the high 32 bits stay 0: headerLength < 2^32
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // pad with spaces
  const dataStart = 8 + headerLength;
  entries.forEach(([, t], i) =>
    writeElements(t.data, out, dataStart + layout.begins[i], HOST_LITTLE_ENDIAN),
  );
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` holds no unpaired UTF-16 surrogate (so that it encodes to UTF-8 unchanged). */
function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
