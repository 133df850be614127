/**
 * The checked safetensors decoder: the header length, the header's UTF-8 and JSON, then each entry
 * (safetensors-header.ts), all before any tensor is allocated; then the tensors themselves.
 */
import { formatValue, kindOf } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { HOST_LITTLE_ENDIAN, readElements } from './bytes.js';
import { crc32Hex } from './crc32.js';
import { JsonSyntaxError, parseJson, type JsonObject, type JsonValue } from './json.js';
import {
  CHECKSUM_KEY,
  jsonKind,
  MAX_HEADER_BYTES,
  quote,
  SafetensorsError,
  type Fail,
  type SafetensorsContents,
} from './safetensors-format.js';
import { readHeader, type Entry } from './safetensors-header.js';

/**
 * Decodes a safetensors file. F64 becomes float64; F32, F16 and BF16 become float32; U8 becomes
 * uint8 and BOOL bool (any byte but 0 is true); I32, I16, I8 and U16 become int32, and so do I64,
 * U64 and U32 when every element fits.
 * The tensors hold copies of the data: they share nothing with `bytes`.
 *
 * The file is checked before anything is allocated for it, so a damaged or hostile file gives a
 * `SafetensorsError` whose message starts with `name` and says what is wrong: the header length,
 * the header's UTF-8 and JSON (duplicate keys included), each tensor's dtype, shape and
 * data_offsets against each other and the file, and that the tensors cover the data section
 * exactly (no gaps, no overlaps), as the format requires. When the metadata holds the checksums
 * nabla's encoder writes (`"nabla.crc32"`), each tensor's bytes are checked against them, so a
 * damaged byte is an error naming the tensor; that entry is left out of the metadata returned.
 * Files without it (from other tools) are read as they are.
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
  if (typeof name !== 'string')
    throw new TypeError(`decodeSafetensors: name must be a string, got ${formatValue(name)}`);
  const fail = (problem: string): never => {
    throw new SafetensorsError(`${name}: ${problem}`);
  };
  const input = asBytes(bytes) ?? fail(`expected the bytes of a file, got ${kindOf(bytes)}`);
  const headerLength = readHeaderLength(input, fail);
  const header = parseHeader(input.subarray(8, 8 + headerLength), fail);
  const dataStart = 8 + headerLength;
  const { metadata, entries } = readHeader(header, input.length - dataStart, fail);
  if (Object.hasOwn(metadata, CHECKSUM_KEY)) {
    verifyChecksums(metadata[CHECKSUM_KEY], input, dataStart, entries, fail);
    delete metadata[CHECKSUM_KEY];
  }
  return { tensors: readTensors(input, dataStart, entries, fail), metadata };
}

/**
 * Checks each tensor's bytes against the CRC-32 recorded for it under {@link CHECKSUM_KEY}: the
 * entry must list every tensor of the file, and only those.
 */
function verifyChecksums(
  recorded: string,
  input: Uint8Array,
  dataStart: number,
  entries: Entry[],
  fail: Fail,
): void {
  const damaged = `the checksums in "__metadata__" ${quote(CHECKSUM_KEY)}`;
  let sums: JsonValue = null;
  try {
    sums = parseJson(recorded);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail(`${damaged} are not valid JSON: the file is damaged`);
    throw e;
  }
  if (!(sums instanceof Map)) {
    return fail(`${damaged} must be a JSON object, got ${jsonKind(sums)}: the file is damaged`);
  }
  for (const e of entries) {
    const sum = sums.get(e.key);
    if (sum === undefined) {
      fail(
        `tensor ${quote(e.key)} has no checksum in ${quote(CHECKSUM_KEY)}, which lists every ` +
          'tensor nabla wrote: the header is damaged or was edited',
      );
    }
    if (typeof sum !== 'string' || !/^[0-9a-f]{8}$/.test(sum)) {
      fail(
        `${damaged} give tensor ${quote(e.key)} ${jsonKind(sum as JsonValue)}, not 8 hex digits`,
      );
    }
    if (crc32Hex(input.subarray(dataStart + e.begin, dataStart + e.end)) !== sum) {
      fail(`tensor ${quote(e.key)} does not match its checksum: the file is damaged`);
    }
  }
  if (sums.size !== entries.length) {
    const names = new Set(entries.map((e) => e.key));
    const extra = [...sums.keys()].find((k) => !names.has(k)) ?? '';
    fail(
      `${damaged} name a tensor ${quote(extra)} that the file does not hold: the header is ` +
        'damaged or was edited',
    );
  }
}

/** The header length of the first 8 bytes, checked against the limit and the file's length. */
function readHeaderLength(input: Uint8Array, fail: Fail): number {
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
  return headerLength;
}

/** The header's bytes as a JSON object: valid UTF-8, valid JSON, an object. */
function parseHeader(headerBytes: Uint8Array, fail: Fail): JsonObject {
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
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
  return header as JsonObject;
}

/** The checked entries' tensors, copied out of the data section, in the header's order. */
function readTensors(
  input: Uint8Array,
  dataStart: number,
  entries: Entry[],
  fail: Fail,
): Map<string, Tensor> {
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
  return tensors;
}

/** The bytes of a Uint8Array, another typed array or DataView, or an ArrayBuffer; else undefined. */
function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return undefined;
}
