/**
 * The digits page's reader of the bundled digit file (playground/src/digits/asset.ts) against
 * Node's (src/node/digits.ts): the same pixels, bit for bit, and errors that say what is wrong.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIGITS_FILE, encodeDigits, readDigits } from '../../src/node/digits.js';
import { decodeDigitAsset, verifyDigitAsset } from '../../playground/src/digits/asset.js';

describe('the digits page reads the bundled digits', () => {
  const bytes = new Uint8Array(readFileSync(DIGITS_FILE));

  it('gives the pixels Node gives, digit by digit, bit for bit', () => {
    const ours = decodeDigitAsset(bytes);
    const node = readDigits();
    expect(ours.map((d) => d.length / 784)).toEqual(node.map((d) => d.length / 784));
    expect(ours.reduce((n, d) => n + d.length / 784, 0)).toBe(10_000);
    // Compared as bytes: the same float32 bits (a deep equality over 7.8 million numbers is slow).
    const bits = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    ours.forEach((d, k) => expect(bits(d).equals(bits(node[k])), `digit ${k}`).toBe(true));
  });

  it('decodes a small file it can check by hand', () => {
    // Two images: a 0 with one pixel at 0.5, a 1 with its last pixel at 1; the rest empty.
    const lists = Array.from({ length: 10 }, () => new Float32Array(0));
    lists[0] = new Float32Array(784);
    lists[0][3] = 0.5;
    lists[1] = new Float32Array(784);
    lists[1][783] = 1;
    const decoded = decodeDigitAsset(encodeDigits(lists));
    expect(decoded.map((d) => d.length)).toEqual([784, 784, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...decoded[0]].filter((v) => v !== 0)).toEqual([0.5]);
    expect(decoded[0].indexOf(0.5)).toBe(3);
    expect(decoded[1][783]).toBe(1);
    expect(decoded[1].slice(0, 783).every((v) => v === 0)).toBe(true);
  });

  it('checks the SHA-256 with crypto.subtle, and finds a damaged body', async () => {
    expect(await verifyDigitAsset(bytes)).toBe(true);
    const damaged = bytes.slice();
    damaged[2000] ^= 1;
    await expect(verifyDigitAsset(damaged)).rejects.toThrow(/digits: .* is damaged: the SHA-256/);
  });

  it('refuses other files, truncated ones and pixels that do not add up', () => {
    const other = bytes.slice();
    other[0] = 0x58;
    expect(() => decodeDigitAsset(other)).toThrow(/starts with "XBDIGITS", not "NBDIGITS"/);
    expect(() => decodeDigitAsset(bytes.subarray(0, 5000))).toThrow(
      /has 5000 bytes; its header declares 2015081/,
    );
    expect(() => decodeDigitAsset(bytes.subarray(0, 50))).toThrow(/fewer than its header/);
    const short = bytes.slice();
    // One image fewer for digit 9: the pixels no longer match the header.
    new DataView(short.buffer).setUint32(
      20 + 4 * 9,
      new DataView(bytes.buffer).getUint32(56, true) - 1,
      true,
    );
    expect(() => decodeDigitAsset(short)).toThrow(/is damaged: its pixels give/);
  });
});
