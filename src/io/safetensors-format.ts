/**
 * What the safetensors encoder and decoder share: the header limit, the error and result types,
 * and the short renderings of names and JSON values that their messages use.
 */
import type { Tensor } from '../tensor/tensor.js';
import { JsonNumber, type JsonValue } from './json.js';

/**
 * The largest header accepted or written, in bytes: the limit of the reference implementation
 * (real headers are a few kilobytes to a few megabytes).
 */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * The metadata key under which nabla records the CRC-32 of every tensor's bytes: a JSON object
 * from tensor name to 8 hex digits, as a string.
 */
export const CHECKSUM_KEY = 'nabla.crc32';

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

/** Throws a `SafetensorsError` about one file, with `problem` after the file's name. */
export type Fail = (problem: string) => never;

/** A string for messages: quoted, and cut short when long. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/** A shape for messages, its first 8 sizes only. */
export function formatShapeShort(shape: number[]): string {
  return shape.length <= 8
    ? `[${shape.join(',')}]`
    : `[${shape.slice(0, 8).join(',')},…] (${shape.length} dimensions)`;
}

/** What kind of JSON value `v` is, for messages ("a list", "the number 3", …). */
export function jsonKind(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'an object';
  if (v instanceof JsonNumber)
    return `the number ${v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text}`;
  if (typeof v === 'string') return `the string ${quote(v)}`;
  return String(v);
}

/** A short rendering of a JSON value for messages. */
export function jsonText(v: JsonValue): string {
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

/** A number, string, boolean or null as written, cut short when long. */
function jsonScalar(v: JsonValue): string {
  if (v instanceof JsonNumber) return v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text;
  if (typeof v === 'string') return quote(v);
  return String(v);
}
