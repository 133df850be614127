import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseIdx } from '../../src/data/idx.js';
import { readIdx } from '../../src/node/datasets.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { encodeIdx, SIZES, type IdxType } from '../data/idx-encode.js';
import { concat, flipBit, fuzzSuite, loadsOrFailsCleanly, RUNS, runs } from './fuzz.js';

// Every input either parses into a well-formed tensor or is refused with an Error naming the file.
const NAME = 'fuzz-idx3-ubyte';
const { cases, dir } = fuzzSuite('IDX reader');
const TYPES = Object.keys(SIZES).map(Number) as IdxType[];

/** Parses, checking that a tensor that comes back agrees with the bytes it came from. */
function parseOrFailCleanly(bytes: Uint8Array, name = NAME, scale = false): Tensor | Error {
  const result = loadsOrFailsCleanly(() => parseIdx(bytes, name, { scale }), name, cases);
  if (!(result instanceof Error)) {
    const ndim = bytes[3];
    expect(result.shape.length).toBe(ndim);
    const count = result.shape.reduce((a, b) => a * b, 1);
    expect(result.data.length).toBe(count);
    expect(4 + 4 * ndim + count * SIZES[bytes[2] as IdxType]).toBe(bytes.length);
  } else {
    expect(result.message).toMatch(new RegExp(`^${name}: \\S`));
  }
  return result;
}

/** A small valid file of each type. */
const samples: [IdxType, Uint8Array][] = TYPES.map((t) => [
  t,
  encodeIdx(
    t,
    [2, 3],
    [0, 1, 2, 3, 4, 5].map((v) => (t === 0x08 ? v * 40 : v - 3)),
  ),
]);

const headerArb = fc.record({
  type: fc.oneof(fc.constantFrom(...TYPES), fc.integer({ min: 0, max: 255 })),
  dims: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.nat(4) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
      { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 65_536) },
    ),
    { maxLength: 5 },
  ),
});

const header = (type: number, dims: readonly number[]): Uint8Array => {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = type;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return out;
};

describe('IDX reading of damaged or hostile input (fuzz)', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, scale) => {
        parseOrFailCleanly(bytes, NAME, scale);
      }),
      RUNS,
    );
  });

  it('a plausible header followed by random bytes', () => {
    fc.assert(
      fc.property(headerArb, fc.uint8Array({ maxLength: 120 }), fc.boolean(), (h, body, scale) => {
        parseOrFailCleanly(concat(header(h.type, h.dims), body), NAME, scale);
      }),
      RUNS,
    );
  });

  it('every truncation of a valid file of every type is refused', () => {
    for (const [type, bytes] of samples) {
      expect(parseOrFailCleanly(bytes)).not.toBeInstanceOf(Error);
      for (let n = 0; n < bytes.length; n++) {
        const result = parseOrFailCleanly(bytes.subarray(0, n));
        expect(result, `type ${type}, length ${n}`).toBeInstanceOf(Error);
        expect((result as Error).message).toMatch(/not an IDX file|truncated IDX/);
      }
      // And bytes added to the end are refused as well.
      const longer = parseOrFailCleanly(concat(bytes, new Uint8Array([7])));
      expect((longer as Error).message).toMatch(/1 unexpected bytes after the IDX data/);
    }
  });

  it('every single-bit flip of a valid file parses or is refused', () => {
    for (const [, bytes] of samples) {
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const result = parseOrFailCleanly(flipBit(bytes, bit));
        // A flip in the body changes a value, never the structure.
        if (bit >> 3 >= 12) expect(result).not.toBeInstanceOf(Error);
      }
    }
  });

  it('huge declared sizes are refused by the byte count, before anything is allocated', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.array(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ maxLength: 64 }),
        (type, dims, body) => {
          fc.pre(dims.reduce((a, b) => a * b, 1) * SIZES[type] > body.length);
          const result = parseOrFailCleanly(concat(header(type, dims), body));
          expect(result).toBeInstanceOf(Error);
          expect((result as Error).message).toMatch(
            /truncated IDX data|more than 2\^31 - 1|declares \d+ elements/,
          );
        },
      ),
      RUNS,
    );
    // 2^31 items of one byte in a 12-byte file.
    const big = parseOrFailCleanly(header(0x08, [2 ** 31 - 1, 1]));
    expect((big as Error).message).toMatch(/truncated IDX data/);
  });

  it('headers with 0 to 255 dimensions, beyond the end of the file', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.nat(1100), (ndim, length) => {
        const bytes = new Uint8Array(length);
        bytes[2] = 0x08;
        bytes[3] = ndim;
        // Dimensions of 1 wherever the file has room for them.
        for (let i = 7; i < Math.min(length, 4 + 4 * ndim); i += 4) bytes[i] = 1;
        parseOrFailCleanly(bytes);
      }),
      RUNS,
    );
  });

  it('NaN and infinite floats and doubles are data, read as they are', () => {
    for (const type of [0x0d, 0x0e] as const) {
      const values = [NaN, Infinity, -Infinity, -0, 1];
      const t = parseOrFailCleanly(encodeIdx(type, [5], values)) as Tensor;
      expect(Array.from(t.data)).toEqual(values);
    }
  });
});

describe('readIdx of gzip-compressed garbage (fuzz)', () => {
  let file = 0;
  const write = (bytes: Uint8Array): string => {
    const path = join(dir, `f${file++}.gz`);
    writeFileSync(path, bytes);
    return path;
  };
  const readOrFailCleanly = (path: string): Tensor | Error => {
    const result = loadsOrFailsCleanly(() => readIdx(path), path, cases);
    if (result instanceof Error) expect(result.message).toContain(path);
    return result;
  };

  it('well-compressed random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        readOrFailCleanly(write(gzipSync(bytes)));
      }),
      runs(100),
    );
  });

  it('damaged gzip streams: a gzip magic number before random bytes, truncations, bit flips', () => {
    const good = gzipSync(samples[2][1]);
    expect(readOrFailCleanly(write(good))).not.toBeInstanceOf(Error);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 100 }).map((b) => concat(new Uint8Array([0x1f, 0x8b]), b)),
          fc.nat(good.length - 1).map((n) => good.subarray(0, n)),
          fc.nat(good.length * 8 - 1).map((bit) => flipBit(good, bit)),
        ),
        (bytes) => {
          const result = readOrFailCleanly(write(bytes));
          if (result instanceof Error && bytes[0] === 0x1f && bytes[1] === 0x8b) {
            expect(result.message).toMatch(/cannot be decompressed|IDX/);
          }
        },
      ),
      runs(200),
    );
  });

  it('gzip inside gzip is named as such', () => {
    const path = write(gzipSync(gzipSync(samples[0][1])));
    const result = readOrFailCleanly(path);
    expect((result as Error).message).toMatch(/look gzip-compressed/);
  });
});
