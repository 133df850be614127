import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FILE_DTYPES,
  HOST_LITTLE_ENDIAN,
  halfToNumber,
  readElements,
  writeElements,
  type FileDType,
} from '../../src/io/bytes.js';
import type { TypedArray } from '../../src/tensor/dtype.js';

const SEED = 20240611;
const bitsOf = (a: TypedArray): number[] =>
  Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

describe('element codecs', () => {
  it('this machine is little-endian, so both paths run here', () => {
    expect(HOST_LITTLE_ENDIAN).toBe(true);
  });

  // The DataView path (hostLittleEndian = false) is the one big-endian machines take; it is
  // correct on any machine, so it must give the same bytes as the raw copy here.
  it('writes the same little-endian bytes on both paths, NaN payloads included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.float64Array({ maxLength: 20 }),
          fc.float32Array({ maxLength: 20 }),
          fc.int32Array({ maxLength: 20 }),
          // Any bit patterns, NaNs with payloads among them.
          fc
            .uint32Array({ maxLength: 20 })
            .map((u) => new Float32Array(u.buffer, u.byteOffset, u.length)),
          fc
            .bigUint64Array({ maxLength: 20 })
            .map((u) => new Float64Array(u.buffer, u.byteOffset, u.length)),
        ),
        fc.nat(7),
        (src, offset) => {
          const fast = new Uint8Array(offset + src.byteLength);
          const slow = new Uint8Array(offset + src.byteLength);
          writeElements(src, fast, offset, true);
          writeElements(src, slow, offset, false);
          expect(Array.from(slow)).toEqual(Array.from(fast));
          expect(Array.from(fast.subarray(offset))).toEqual(bitsOf(src));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('reads the same elements on both paths, for every file dtype', () => {
    const types = Object.keys(FILE_DTYPES) as FileDType[];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(7),
        (type, raw, start) => {
          const size = FILE_DTYPES[type].size;
          const count = Math.floor(raw.length / size);
          const bytes = new Uint8Array(start + raw.length);
          bytes.set(raw, start);
          const fast = readElements(type, bytes, start, count, true);
          const slow = readElements(type, bytes, start, count, false);
          if (ArrayBuffer.isView(fast) && ArrayBuffer.isView(slow)) {
            expect(bitsOf(slow)).toEqual(bitsOf(fast));
            expect(fast.length).toBe(count);
            if (type === 'F32' || type === 'F64' || type === 'I32') {
              expect(bitsOf(fast)).toEqual(Array.from(raw.subarray(0, count * size)));
            }
          } else {
            expect(slow).toEqual(fast);
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('reads integers as int32 exactly when they fit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const bytes = new Uint8Array(8);
        new DataView(bytes.buffer).setBigInt64(0, v, true);
        const got = readElements('I64', bytes, 0, 1);
        const fits = v >= -(2n ** 31n) && v < 2n ** 31n;
        expect(got).toEqual(fits ? new Int32Array([Number(v)]) : { index: 0, value: String(v) });
        const unsigned = readElements('U64', bytes, 0, 1);
        const u = BigInt.asUintN(64, v);
        expect(unsigned).toEqual(
          u < 2n ** 31n ? new Int32Array([Number(u)]) : { index: 0, value: String(u) },
        );
      }),
      { seed: SEED, numRuns: 300 },
    );
    const edges = [0n, 1n, -1n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), -(2n ** 31n) - 1n];
    for (const v of edges) {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigInt64(0, v, true);
      const fits = v >= -(2n ** 31n) && v < 2n ** 31n;
      expect(ArrayBuffer.isView(readElements('I64', bytes, 0, 1)), String(v)).toBe(fits);
    }
  });

  it('decodes all 65536 half-precision values exactly', () => {
    const bad: string[] = [];
    let previous = -1;
    for (let h = 0; h < 0x10000; h++) {
      const v = halfToNumber(h);
      const isNaNPattern = ((h >> 10) & 0x1f) === 0x1f && (h & 0x3ff) !== 0;
      if (isNaNPattern !== Number.isNaN(v)) bad.push(`${h}: NaN`);
      if (isNaNPattern) continue;
      if (Math.fround(v) !== v) bad.push(`${h}: not exact in float32`);
      if (!Object.is(halfToNumber(h ^ 0x8000), -v)) bad.push(`${h}: sign bit`);
      if (h < 0x7c00) {
        if (!(v > previous)) bad.push(`${h}: not increasing`);
        previous = v;
      }
    }
    expect(bad).toEqual([]);
    expect(halfToNumber(0x3c00)).toBe(1);
    expect(halfToNumber(0x3555)).toBe(0.333251953125);
    expect(halfToNumber(0x7bff)).toBe(65504);
    expect(halfToNumber(0x0400)).toBe(2 ** -14); // smallest normal
    expect(halfToNumber(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(halfToNumber(0x7c00)).toBe(Infinity);
    expect(Object.is(halfToNumber(0x8000), -0)).toBe(true);
  });
});
