import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, type CsvData, type CsvOptions } from '../../src/data/csv.js';
import { readCsv } from '../../src/node/datasets.js';
import {
  CASE_MS,
  ENORMOUS_MS,
  flipBit,
  fuzzSuite,
  loadsOrFailsCleanly,
  RUNS,
  runs,
} from './fuzz.js';

// Every text either parses into well-formed features and labels or is refused with an Error
// naming the file. NaN and infinite values are refused, naming the line and the column: a
// feature must be a finite number, and a label cell that reads NaN or Infinity is a missing
// value, not a class.
const NAME = 'fuzz.csv';
const { cases, dir } = fuzzSuite('CSV reader');

function parseOrFailCleanly(text: string, options: CsvOptions = {}, ms = CASE_MS): CsvData | Error {
  const result = loadsOrFailsCleanly(
    () => parseCsv(text, { ...options, name: NAME }),
    NAME,
    cases,
    ms,
  );
  if (result instanceof Error) {
    // parseCsv: prefixes the refusal of options that contradict each other.
    expect(result.message).toMatch(new RegExp(`^(parseCsv: )?${NAME}: \\S`));
  } else {
    const [rows, features] = result.x.shape;
    expect(result.x.ndim).toBe(2);
    expect(features).toBeGreaterThan(0);
    expect(result.featureNames).toHaveLength(features);
    expect(result.y.shape).toEqual(options.regression ? [rows, 1] : [rows]);
    expect(result.x.data.every(Number.isFinite)).toBe(true);
    expect(result.y.data.every(Number.isFinite)).toBe(true);
    if (result.classes !== undefined) {
      expect(result.y.data.every((k) => k >= 0 && k < (result.classes as string[]).length)).toBe(
        true,
      );
    }
  }
  return result;
}

const optionsArb: fc.Arbitrary<CsvOptions> = fc.record(
  {
    header: fc.constantFrom<CsvOptions['header']>(true, false, 'auto'),
    delimiter: fc.constantFrom(',', ';', '\t', ' '),
    label: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'label', ' b ')),
    regression: fc.boolean(),
    standardize: fc.boolean(),
  },
  { requiredKeys: [] },
);

const CELLS = ['1', '-2.5', '.5', '1e3', '0', 'x', 'cat', '', ' ', '"', '""', '"a,b"', '"1"'];
const textArb = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom(...'0123456789,,,;\n\n\r"" .-eE+abNIf\t\uFEFF'.split('')),
    maxLength: 120,
  }),
  fc
    .array(fc.array(fc.constantFrom(...CELLS), { minLength: 1, maxLength: 4 }), { maxLength: 6 })
    .map((rows) => rows.map((r) => r.join(',')).join('\n')),
);

/** A valid file: a header, quoted and unquoted numbers, text labels, CRLF line ends. */
const SAMPLE =
  'a,"b, quoted",species\r\n1,2.5,cat\r\n-3,"4e-1",dog\r\n.5, 6 ,"big\r\ncat"\r\n7,8,cat\r\n';

describe('CSV reading of damaged or hostile input (fuzz)', () => {
  it('random text with random options', () => {
    fc.assert(
      fc.property(textArb, optionsArb, (text, options) => {
        parseOrFailCleanly(text, options);
      }),
      RUNS,
    );
  });

  it('every truncation of a valid file parses or is refused', () => {
    expect(parseOrFailCleanly(SAMPLE) instanceof Error).toBe(false);
    for (let n = 0; n < SAMPLE.length; n++) parseOrFailCleanly(SAMPLE.slice(0, n));
  });

  it('every single-bit flip of a valid file, as UTF-8 bytes', () => {
    const bytes = new TextEncoder().encode(SAMPLE);
    const decoder = new TextDecoder();
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      parseOrFailCleanly(decoder.decode(flipBit(bytes, bit)));
    }
  });

  it('NaN and infinite cells are refused, naming the line and the column', () => {
    const BAD = ['NaN', 'nan', 'Infinity', '-Infinity', '+inf', 'INF', '1e39', '-1e400'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(...BAD),
        fc.boolean(),
        (rows, width, r, c, bad, regression) => {
          const grid = Array.from({ length: rows }, (_, i) =>
            Array.from({ length: width }, (_, j) => String(i + j)),
          );
          const row = r % rows;
          const col = c % width;
          grid[row][col] = bad;
          const text = grid.map((cells) => cells.join(',')).join('\n');
          const result = parseOrFailCleanly(text, { header: false, regression });
          expect(result instanceof Error, `${text} was loaded`).toBe(true);
          expect((result as Error).message).toContain(`line ${row + 1}, column ${col + 1}`);
          expect((result as Error).message).toMatch(
            /not a (finite )?number|too large for float32|not an integer class/,
          );
        },
      ),
      RUNS,
    );
  });

  it('tiny numbers become 0 and are loaded', () => {
    const result = parseOrFailCleanly('1e-50,1\n-1e-400,0\n', { header: false }) as CsvData;
    expect(Array.from(result.x.data)).toEqual([0, -0]);
  });

  it('enormous rows, files and fields finish fast', () => {
    const big = (text: string, options: CsvOptions = {}): CsvData | Error =>
      parseOrFailCleanly(text, options, ENORMOUS_MS);
    const wide = Array.from({ length: 100_000 }, (_, j) => String(j % 10)).join(',');
    const wideResult = big(`${wide}\n${wide}\n`, { header: false });
    expect((wideResult as CsvData).x.shape).toEqual([2, 99_999]);
    const tall = '1,2,3\n'.repeat(100_000);
    expect((big(tall) as CsvData).x.shape).toEqual([100_000, 2]);
    expect(big(`1,"${'x'.repeat(1_000_000)}`) instanceof Error).toBe(true);
    expect(big('"'.repeat(1_000_001)) instanceof Error).toBe(true);
    expect(big(','.repeat(1_000_000)) instanceof Error).toBe(true);
    expect(big('\n'.repeat(1_000_000)) instanceof Error).toBe(true);
    expect(big('\r\n \t'.repeat(300_000)) instanceof Error).toBe(true);
    expect(big(`1,${'9'.repeat(100_000)}\n`, { header: false }) instanceof Error).toBe(true);
  });

  it('readCsv of random bytes names the file', () => {
    let file = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const path = join(dir, `f${file++}.csv`);
        writeFileSync(path, bytes);
        const result = loadsOrFailsCleanly(() => readCsv(path), path, cases);
        if (result instanceof Error) expect(result.message).toMatch(new RegExp(`^${path}: `));
      }),
      runs(100),
    );
    expect(loadsOrFailsCleanly(() => readCsv(dir), dir, cases) instanceof Error).toBe(true);
  });
});
