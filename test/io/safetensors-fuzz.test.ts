import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DType } from '../../src/tensor/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
  type SafetensorsContents,
} from '../../src/io/safetensors.js';
import { concat, RUNS, u64, runs } from './fuzz.js';

// Every input either decodes or fails with a SafetensorsError that starts with the name: never a
// TypeError or RangeError from inside the engine, never a hang, never a huge allocation.
const NAME = 'fuzz.safetensors';

function decodeOrFailCleanly(bytes: Uint8Array): SafetensorsContents | SafetensorsError {
  try {
    return decodeSafetensors(bytes, NAME);
  } catch (e) {
    if (!(e instanceof SafetensorsError) || !e.message.startsWith(`${NAME}: `)) {
      throw new Error(`decode failed badly: ${String(e)}`, { cause: e });
    }
    return e;
  }
}

const withHeader = (header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array => {
  const h = new TextEncoder().encode(header);
  return concat(u64(h.length), h, data);
};

/**
 * A valid file with several dtypes, a 0-d tensor, an empty one and metadata; with nabla's
 * checksums unless `checksums` is false.
 */
function sampleFile(checksums = true): Uint8Array {
  return encodeSafetensors(
    new Map<string, Tensor>([
      ['w', new Tensor(new Float32Array([1, -2, 3.5, 0]), [2, 2])],
      ['b', new Tensor(new Float64Array([0.25]), [])],
      ['i', new Tensor(new Int32Array([7, -9, 11]), [3])],
      ['e', new Tensor(new Float32Array(0), [0, 3])],
    ]),
    { format: 'pt' },
    { checksums },
  );
}

const tensorArb: fc.Arbitrary<Tensor> = fc
  .record({
    dtype: fc.constantFrom<DType>('float32', 'float64', 'int32'),
    shape: fc.array(fc.nat(3), { maxLength: 4 }),
  })
  .chain(({ dtype, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values =
      dtype === 'int32'
        ? fc.int32Array({ minLength: size, maxLength: size })
        : dtype === 'float32'
          ? fc.float32Array({ minLength: size, maxLength: size })
          : fc.float64Array({ minLength: size, maxLength: size });
    return values.map((data) => new Tensor(data, shape));
  });

describe('safetensors round trip (property)', () => {
  it('decodes what it encodes, bit for bit, with aligned data', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ maxLength: 6 }), tensorArb), {
          selector: ([k]) => k,
          maxLength: 6,
        }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 8 })),
        (entries, metadata) => {
          const named = entries.filter(([k]) => k !== '__metadata__');
          const bytes = encodeSafetensors(new Map(named), metadata);
          const view = new DataView(bytes.buffer);
          const headerLength = view.getUint32(0, true);
          expect(headerLength % 8).toBe(0);
          expect(view.getUint32(4, true)).toBe(0);
          const back = decodeSafetensors(bytes);
          expect([...back.tensors.keys()]).toEqual(named.map(([k]) => k));
          expect(back.metadata).toEqual(metadata);
          // Every tensor starts at a multiple of its element size, from the file's start.
          const header = JSON.parse(
            new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)),
          ) as Record<string, { dtype: string; data_offsets: [number, number] }>;
          for (const [k, t] of named) {
            const got = back.tensors.get(k) as Tensor;
            expect(got.dtype).toBe(t.dtype);
            expect(got.shape).toEqual(t.shape);
            expect(Array.from(new Uint8Array(got.data.buffer))).toEqual(
              Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
            );
            const size = t.dtype === 'float64' ? 8 : 4;
            expect((8 + headerLength + header[k].data_offsets[0]) % size).toBe(0);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('safetensors decoding of damaged or hostile input (fuzz)', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        decodeOrFailCleanly(bytes);
      }),
      RUNS,
    );
  });

  it('a right header length followed by random text or bytes', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({
        unit: fc.constantFrom(...'{}[]":,0123456789-.eE \\u"dtypeshapF32I64_ofs'.split('')),
        maxLength: 120,
      }),
      fc.json(),
    );
    fc.assert(
      fc.property(text, fc.uint8Array({ maxLength: 40 }), (header, data) => {
        decodeOrFailCleanly(withHeader(header, data));
      }),
      RUNS,
    );
  });

  it('every truncation of a valid file fails cleanly', () => {
    const bytes = sampleFile();
    expect(decodeOrFailCleanly(bytes)).not.toBeInstanceOf(SafetensorsError);
    for (let n = 0; n < bytes.length; n++) {
      expect(decodeOrFailCleanly(bytes.subarray(0, n)), `length ${n}`).toBeInstanceOf(
        SafetensorsError,
      );
    }
  });

  it('every single-bit flip of a valid file decodes or fails cleanly', () => {
    for (const checksums of [false, true]) {
      const bytes = sampleFile(checksums);
      const headerEnd = 8 + new DataView(bytes.buffer).getUint32(0, true);
      let decoded = 0;
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const copy = bytes.slice();
        copy[bit >> 3] ^= 1 << (bit & 7);
        const result = decodeOrFailCleanly(copy);
        if (!(result instanceof SafetensorsError)) decoded++;
        if (bit >> 3 < headerEnd) continue;
        // A flip in the data section changes a value, never the structure; with checksums it is
        // caught, and the message names the tensor.
        if (checksums) {
          expect(result).toBeInstanceOf(SafetensorsError);
          expect((result as Error).message).toMatch(
            /^fuzz\.safetensors: tensor "[wbi]" does not match its checksum: the file is damaged$/,
          );
        } else expect(result).not.toBeInstanceOf(SafetensorsError);
      }
      expect(decoded).toBeGreaterThan(0);
    }
  });

  it('several random byte changes anywhere', () => {
    const bytes = sampleFile();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (edits) => {
          const copy = bytes.slice();
          for (const [at, value] of edits) copy[at] = value;
          decodeOrFailCleanly(copy);
        },
      ),
      RUNS,
    );
  });

  it('huge declared header lengths and header lengths beyond the file', () => {
    const body = sampleFile().subarray(8);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          fc.bigInt({ min: BigInt(body.length) + 1n, max: BigInt(body.length) + 1000n }),
          fc.bigInt({ min: 100_000_001n, max: 2n ** 33n }),
        ),
        (length) => {
          const result = decodeOrFailCleanly(concat(u64(length), body));
          if (length > BigInt(body.length)) expect(result).toBeInstanceOf(SafetensorsError);
        },
      ),
      RUNS,
    );
  });

  it('deeply nested JSON in the header', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000 }),
        fc.constantFrom('[', '{"a":', '[{"x":'),
        fc.boolean(),
        (depth, opener, close) => {
          const closer = opener === '[' ? ']' : opener === '{"a":' ? '}' : '}]';
          const inner = opener.repeat(depth) + '1' + (close ? closer.repeat(depth) : '');
          const started = Date.now();
          const result = decodeOrFailCleanly(withHeader(`{"t":${inner}}`));
          expect(result).toBeInstanceOf(SafetensorsError);
          expect(Date.now() - started).toBeLessThan(1000);
        },
      ),
      runs(100),
    );
  });

  // Headers made of plausible pieces, some wrong, checked against an independent statement of
  // the rules: each input decodes exactly when the rules say it is valid.
  it('offsets, dtypes, shapes and byte counts, against the rules', () => {
    const SIZES: Record<string, number> = {
      F64: 8,
      F32: 4,
      BF16: 2,
      I64: 8,
      I32: 4,
      U8: 1,
      BOOL: 1,
    };
    const dtypeArb = fc.constantFrom(
      'F64',
      'F32',
      'BF16',
      'I64',
      'I32',
      'U8',
      'BOOL',
      'F8_E4M3',
      'f32',
      '',
    );
    const dimArb = fc.oneof(
      { weight: 8, arbitrary: fc.nat(3).map(String) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('-1', '1.0', '1e0', '"2"', 'null', '9007199254740993', '-0'),
      },
    );
    const offsetArb = fc.oneof(
      { weight: 8, arbitrary: fc.nat(24).map(String) },
      { weight: 1, arbitrary: fc.constantFrom('-4', '2.5', '"0"', '1e1', '18446744073709551616') },
    );
    const entryArb = fc.record({
      dtype: dtypeArb,
      shape: fc.array(dimArb, { maxLength: 3 }),
      offsets: fc.oneof(
        { weight: 8, arbitrary: fc.tuple(offsetArb, offsetArb).map((o) => [...o]) },
        { weight: 1, arbitrary: fc.array(offsetArb, { maxLength: 3 }) },
      ),
    });
    let validCount = 0;
    const isSize = (s: string): boolean => /^(0|[1-9][0-9]*)$/.test(s) && Number(s) <= 2 ** 53 - 1;

    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 4 }),
        fc.nat(32),
        fc.boolean(),
        fc.tuple(fc.nat(3), fc.integer({ min: -3, max: 3 })),
        (entries, randomLength, tile, [shifted, shift]) => {
          // Half the time, lay the tensors end to end, as a writer would, so that valid files
          // (and near misses from a wrong dtype or shape) come up often.
          let dataLength = randomLength;
          if (tile) {
            let at = 0;
            for (const e of entries) {
              const size = SIZES[e.dtype] ?? 1;
              const count = e.shape.every(isSize)
                ? e.shape.map(Number).reduce((x, y) => x * y, 1)
                : 1;
              const end = at + Math.min(count, 64) * size;
              e.offsets = [String(at), String(end)];
              at = end;
            }
            dataLength = at;
            // Slide one tensor by a few bytes: an overlap, a gap, or both.
            const e = entries[shifted];
            if (e !== undefined && shift !== 0) {
              e.offsets = e.offsets.map((o) => String(Number(o) + shift));
              // The data end where the last tensor ends: sliding that one down is a pure overlap.
              dataLength = Math.max(0, ...entries.map((x) => Number(x.offsets[1])));
            }
          }
          const header =
            '{' +
            entries
              .map(
                (e, i) =>
                  `"t${i}":{"dtype":${JSON.stringify(e.dtype)},"shape":[${e.shape.join(',')}],` +
                  `"data_offsets":[${e.offsets.join(',')}]}`,
              )
              .join(',') +
            '}';
          const data = new Uint8Array(dataLength); // zeros: every integer fits in int32
          const result = decodeOrFailCleanly(withHeader(header, data));

          // The rules, stated independently.
          let valid = true;
          const ranges: [number, number][] = [];
          for (const e of entries) {
            const size = SIZES[e.dtype];
            if (size === undefined || !e.shape.every(isSize) || e.offsets.length !== 2) {
              valid = false;
              continue;
            }
            if (!e.offsets.every(isSize)) {
              valid = false;
              continue;
            }
            const [b, end] = e.offsets.map(Number);
            const count = e.shape.map(Number).reduce((x, y) => x * y, 1);
            if (b > end || end > dataLength || end - b !== count * size) valid = false;
            ranges.push([b, end]);
          }
          if (valid) {
            ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
            let at = 0;
            for (const [b, end] of ranges) {
              if (b !== at) valid = false;
              at = end;
            }
            if (at !== dataLength) valid = false;
          }
          expect(result instanceof SafetensorsError, `${header} + ${dataLength} bytes`).toBe(
            !valid,
          );
          if (valid) validCount++;
        },
      ),
      runs(1000),
    );
    expect(validCount).toBeGreaterThan(100);
  });
});
