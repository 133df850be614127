/** Shared helpers of the safetensors tests: hand-built files, and the check of a refusal. */
import { expect } from 'vitest';
import { decodeSafetensors, SafetensorsError } from '../../src/io/safetensors.js';

/** The UTF-8 bytes of `s`. */
export const ascii = (s: string): number[] => Array.from(new TextEncoder().encode(s));
/** `n` (below 2^32) as an unsigned 64-bit little-endian integer. */
export const u64 = (n: number): number[] => [
  n & 0xff,
  (n >>> 8) & 0xff,
  (n >>> 16) & 0xff,
  n >>> 24,
  0,
  0,
  0,
  0,
];
/** The little-endian bytes of float32 values. */
export const f32 = (values: number[]): number[] =>
  Array.from(new Uint8Array(new Float32Array(values).buffer));

/** A file as the format describes it: length, header (as given, no padding added), data. */
export function file(header: string, data: number[] = []): Uint8Array {
  const h = ascii(header);
  return new Uint8Array([...u64(h.length), ...h, ...data]);
}

/** The header of an encoded file, as text (padding included). */
export const headerText = (bytes: Uint8Array): string => {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
};

/** Expects decoding to fail with a SafetensorsError whose message starts with the name and matches. */
export function expectFailure(
  bytes: Uint8Array,
  pattern: RegExp,
  name = 'model.safetensors',
): void {
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
