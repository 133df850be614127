import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.js';
import { standardize } from '../../src/data/standardize.js';
import { tensor } from '../../src/tensor/creation.js';
import { readCsv } from '../../src/node/datasets.js';
import { expectExact, expectValues } from '../helpers.js';

const IRIS = `sepal_length,sepal_width,species
5.1,3.5,setosa
7.0,3.2,versicolor
6.3,3.3,virginica
4.9,3.0,setosa
`;

describe('parseCsv: columns and labels', () => {
  it('detects a header and maps text labels to sorted classes', () => {
    const d = parseCsv(IRIS, { name: 'iris.csv' });
    expect(d.featureNames).toEqual(['sepal_length', 'sepal_width']);
    expect(d.labelName).toBe('species');
    expect(d.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expectValues(d.x, [
      [5.1, 3.5],
      [7.0, 3.2],
      [6.3, 3.3],
      [4.9, 3.0],
    ]);
    expect(d.x.dtype).toBe('float32');
    expectExact(d.y, [0, 1, 2, 0], 'int32');
    expect(d.mean).toBeUndefined();
  });

  it('detects that there is no header, even with text labels', () => {
    const d = parseCsv('5.1,3.5,setosa\n7.0,3.2,versicolor\n');
    expect(d.x.shape).toEqual([2, 2]);
    expect(d.featureNames).toEqual(['column 1', 'column 2']);
    expect(d.labelName).toBe('column 3');
    expect(d.classes).toEqual(['setosa', 'versicolor']);
    expect(parseCsv('1,2,0\n3,4,1\n').x.shape).toEqual([2, 2]);
  });

  it('follows an explicit header option', () => {
    expect(parseCsv('1,2,0\n3,4,1\n', { header: true }).featureNames).toEqual(['1', '2']);
    expect(parseCsv('a,b,c\n1,2,3\n', { header: true }).x.shape).toEqual([1, 2]);
  });

  it('takes the label column by name or by index, negative from the end', () => {
    const text = 'y,a,b\n1,10,20\n0,30,40\n';
    for (const label of ['y', 0, -3]) {
      const d = parseCsv(text, { label });
      expectExact(d.y, [1, 0], 'int32');
      expect(d.featureNames).toEqual(['a', 'b']);
      expectValues(d.x, [
        [10, 20],
        [30, 40],
      ]);
    }
    expect(parseCsv('1,10,20\n0,30,40\n', { label: 0 }).labelName).toBe('column 1');
    expect(() => parseCsv(text, { label: 'z', name: 'f.csv' })).toThrow(
      'f.csv: no column named "z"; the columns are "y", "a", "b"',
    );
    expect(() => parseCsv(text, { label: 3, name: 'f.csv' })).toThrow(
      'f.csv: label column 3 does not exist; the data has 3 columns (0 to 2, or -1 for the last)',
    );
    expect(() => parseCsv('1,2\n', { label: 'y', header: false })).toThrow(
      /label "y" names a column, but header is false/,
    );
  });

  it('keeps integer labels as they are, refuses fractional ones unless regressing', () => {
    expectExact(parseCsv('a,y\n1,7\n2,-3\n3,1.0\n').y, [7, -3, 1], 'int32');
    expect(() => parseCsv('a,y\n1,0.5\n', { name: 'r.csv' })).toThrow(
      'r.csv: line 2, column "y": label 0.5 is not an integer class; pass regression: true for numeric targets',
    );
    const r = parseCsv('a,y\n1,0.5\n2,-1.25\n', { regression: true });
    expectExact(r.y, [[0.5], [-1.25]], 'float32');
    expect(() => parseCsv('a,y\n1,big\n', { regression: true, name: 'r.csv' })).toThrow(
      'r.csv: line 2, column "y": target "big" is not a number',
    );
  });

  it('sorts text classes in JavaScript string order, mixed digits included', () => {
    const d = parseCsv('a,y\n1,b\n2,10\n3,B\n4,b\n');
    expect(d.classes).toEqual(['10', 'B', 'b']);
    expectExact(d.y, [2, 0, 1, 2]);
  });
});

describe('parseCsv: the format', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    const d = parseCsv(
      '"a, first","b ""quoted""",label\n"1.5"," 2 ","x, y"\n3,"4","he said ""hi"""\n',
      {
        label: 'label',
      },
    );
    expect(d.featureNames).toEqual(['a, first', 'b "quoted"']);
    expect(d.classes).toEqual(['he said "hi"', 'x, y']);
    expectValues(d.x, [
      [1.5, 2],
      [3, 4],
    ]);
    expect(() => parseCsv('a,b\n"1,5",0\n')).toThrow(/"1,5" is not a number/);
    const multi = parseCsv('v,w,y\n1,2,"two\nlines"\n3,4,x\n');
    expect(multi.x.shape).toEqual([2, 2]);
    expect(multi.classes).toEqual(['two\nlines', 'x']);
  });

  it('takes CRLF and CR line ends, a byte-order mark, blank lines and spaces', () => {
    const text = '\ufeffa, b ,y\r\n 1 , 2,0\r\n\r\n3,4 ,1\r\n\r\n\r\n';
    const d = parseCsv(text);
    expect(d.featureNames).toEqual(['a', 'b']);
    expectValues(d.x, [
      [1, 2],
      [3, 4],
    ]);
    expectValues(parseCsv('a,y\r1,0\r2,1\r').x, [[1], [2]]);
  });

  it('uses another delimiter', () => {
    const d = parseCsv('a;b;y\n1.5;2;"x;z"\n', { delimiter: ';' });
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.classes).toEqual(['x;z']);
    expect(() => parseCsv('a;y\n1,5;0\n', { delimiter: ';', name: 'eu.csv' })).toThrow(
      'eu.csv: line 2, column "a": "1,5" is not a number',
    );
    expect(() => parseCsv('a\tb\ty\n1\t2\t0\n', { delimiter: '\t' })).not.toThrow();
    expect(() => parseCsv('a,y\n', { delimiter: '"' })).toThrow(
      /delimiter must be a single character/,
    );
  });

  it('reads back any table of numbers it is given (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 7, maxLength: 7 }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.boolean(),
        (features, table, crlf) => {
          const rows = table.map((r) => r.slice(0, features + 1).map((v) => v / 8));
          const lines = rows.map((r) =>
            [...r.slice(0, features), Math.round(r[features])].join(','),
          );
          const text = lines.join(crlf ? '\r\n' : '\n');
          const d = parseCsv(text, { header: false });
          expect(d.x.shape).toEqual([rows.length, features]);
          expect(Array.from(d.x.data)).toEqual(rows.flatMap((r) => r.slice(0, features)));
          expect(Array.from(d.y.data)).toEqual(rows.map((r) => Math.round(r[features]) + 0));
        },
      ),
      { seed: 99, numRuns: 100 },
    );
  });
});

describe('parseCsv: errors name the file, line and column', () => {
  it('a cell that is not a number, by header name', () => {
    expect(() => parseCsv(IRIS.replace('7.0,3.2', '7.0,n/a'), { name: 'iris.csv' })).toThrow(
      'iris.csv: line 3, column "sepal_width": "n/a" is not a number',
    );
  });

  it('a cell that is not a number, by column number without a header', () => {
    expect(() => parseCsv('1,2,0\n3,abc,1\n', { name: 'data.csv', header: false })).toThrow(
      'data.csv: line 2, column 2: "abc" is not a number',
    );
  });

  it('counts lines from 1 including the header, blank lines and quoted line breaks', () => {
    expect(() =>
      parseCsv('a,b,y\n\n"x\ny",2,0\n1,2,0\n1,,0\n', { name: 'f.csv', label: 'y' }),
    ).toThrow(/^f.csv: line 3, column "a": "x\\ny" is not a number$/);
    expect(() => parseCsv('a,b,y\n\n1,2,0\n1,,0\n', { name: 'f.csv' })).toThrow(
      'f.csv: line 4, column "b": the cell is empty (a missing value); every feature must be a number',
    );
    expect(() => parseCsv('a,b,y\n1,2,\n', { name: 'f.csv' })).toThrow(
      'f.csv: line 2, column "y": the label is empty',
    );
  });

  it('ragged rows', () => {
    expect(() => parseCsv('a,b,y\n1,2,0\n3,4\n', { name: 'f.csv' })).toThrow(
      'f.csv: line 3 has 2 fields, but the header has 3',
    );
    expect(() => parseCsv('1,2,0\n3,4,1,5\n', { name: 'f.csv', header: false })).toThrow(
      'f.csv: line 2 has 4 fields, but line 1 has 3',
    );
  });

  it('broken quoting, no data, one column', () => {
    expect(() => parseCsv('a,y\n"1,0\n', { name: 'q.csv' })).toThrow(
      'q.csv: line 2, column 1: a quoted field is never closed (missing ")',
    );
    expect(() => parseCsv('a,y\n"1"x,0\n', { name: 'q.csv' })).toThrow(
      /q.csv: line 2, column 1: unexpected "x" after a closing quote/,
    );
    expect(() => parseCsv('\n \n', { name: 'e.csv' })).toThrow(
      'e.csv: no data (the text is empty or blank)',
    );
    expect(() => parseCsv('a,b,y\n', { name: 'e.csv' })).toThrow(
      'e.csv: a header row but no data rows',
    );
    expect(() => parseCsv('a\n1\n', { name: 'e.csv' })).toThrow(
      /e.csv: only 1 column; need at least one feature column besides the label/,
    );
  });

  it('values too large for float32', () => {
    expect(() => parseCsv('a,y\n1e39,0\n', { name: 'big.csv' })).toThrow(
      'big.csv: line 2, column "a": 1e39 is too large for float32',
    );
  });
});

describe('standardization', () => {
  it('standardizes the features with the population statistics; constant columns get std 1', () => {
    const d = parseCsv('a,b,c,y\n1,10,5,0\n2,20,5,1\n3,60,5,0\n', { standardize: true });
    expectValues(d.mean as never, [2, 30, 5]);
    expectValues(d.std as never, [Math.sqrt(2 / 3), Math.sqrt(1400 / 3), 1], 1e-6);
    const s = Math.sqrt(2 / 3);
    const t = Math.sqrt(1400 / 3);
    expectValues(d.x, [
      [-1 / s, -20 / t, 0],
      [0, -10 / t, 0],
      [1 / s, 30 / t, 0],
    ]);
  });

  it('applies the training statistics to other data', () => {
    const train = standardize(
      tensor([
        [0, 1],
        [2, 3],
      ]),
    );
    expectValues(train.x, [
      [-1, -1],
      [1, 1],
    ]);
    const test = standardize(tensor([[4, 1]]), train.mean, train.std);
    expectValues(test.x, [[3, -1]]);
    expectValues(standardize(tensor([[4, 1]]), [0, 0], [2, 0]).x, [[2, 1]]);
  });

  it('keeps float64 data float64 and refuses mismatched statistics', () => {
    expect(standardize(tensor([[1], [3]], { dtype: 'float64' })).x.dtype).toBe('float64');
    expect(() => standardize(tensor([[1, 2]]), [0], [1])).toThrow(
      'standardize: mean has 1 values, but the data has 2 features',
    );
    expect(() => standardize(tensor([[1, 2]]), [0, 0])).toThrow(/give both mean and std/);
    expect(() => standardize(tensor([[1, 2]]), [0, 0], [1, -1])).toThrow(
      'standardize: std[1] is -1; expected a finite number ≥ 0',
    );
  });
});

describe('readCsv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, naming it in errors', () => {
    const path = join(dir, 'iris.csv');
    writeFileSync(path, IRIS);
    expect(readCsv(path, { label: 'species' }).classes).toHaveLength(3);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,y\n1,0\nx,1\n');
    expect(() => readCsv(bad)).toThrow(`${bad}: line 3, column "a": "x" is not a number`);
    const missing = join(dir, 'missing.csv');
    expect(() => readCsv(missing)).toThrow(`readCsv: cannot read ${missing}: ENOENT`);
  });
});

describe('parseCsv misused', () => {
  it('names itself when the data have no name, and refuses options of the wrong sort', () => {
    expect(() => parseCsv('x')).toThrow('parseCsv: CSV data: a header row but no data rows');
    expect(() => parseCsv('a,y\n1,0\n', null as never)).toThrow(
      new TypeError('parseCsv: options must be an object, got null'),
    );
    expect(() => parseCsv(42 as never)).toThrow('parseCsv: expected the text as a string, got 42');
    expect(() => parseCsv('1,2\n', { label: 'y', header: false })).toThrow(
      /^parseCsv: CSV data: label "y"/,
    );
  });
});
