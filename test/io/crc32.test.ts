import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from '../../src/io/crc32.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32', () => {
  it('gives the known check values', () => {
    expect(crc32Hex(text('123456789'))).toBe('cbf43926');
    expect(crc32Hex(new Uint8Array(0))).toBe('00000000');
    expect(crc32Hex(text('a'))).toBe('e8b7be43');
    expect(crc32Hex(text('The quick brown fox jumps over the lazy dog'))).toBe('414fa339');
    expect(crc32Hex(new Uint8Array(32))).toBe('190a55ad');
    expect(crc32Hex(new Uint8Array(32).fill(0xff))).toBe('ff6cab0b');
  });

  it('agrees with zlib on any bytes, also continued over pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const whole = crc32(bytes);
        expect(whole).toBe(zlibCrc32(bytes));
        const at = Math.min(cut, bytes.length);
        expect(crc32(bytes.subarray(at), crc32(bytes.subarray(0, at)))).toBe(whole);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('reads a view at its offset, not the whole buffer', () => {
    const buffer = text('xx123456789yy');
    expect(crc32Hex(buffer.subarray(2, 11))).toBe('cbf43926');
  });
});
