import { formatValue } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import type { LabeledData } from './dataset.js';
import { standardize } from './standardize.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** What to call the data in error messages, such as its file name (default 'CSV data'). */
  name?: string;
  /**
   * The label column: a header name, or a 0-based index (negative counts from the end). Default:
   * the last column. Naming a column implies a header row.
   */
  label?: string | number;
  /**
   * Whether the first row names the columns. `'auto'` (the default) decides that it does when one
   * of its cells is not a number while the cell below it is (or, for a single row, when any cell is
   * not a number).
   */
  header?: boolean | 'auto';
  /** The field separator, one character (default ','). */
  delimiter?: string;
  /** Standardize every feature to mean 0, standard deviation 1, and return the statistics (default false). */
  standardize?: boolean;
  /**
   * Read the label column as numbers to regress: y becomes float32 [n, 1] (default false: class
   * labels, int32 [n]).
   */
  regression?: boolean;
}

/** What {@link parseCsv} returns. */
export interface CsvData extends LabeledData {
  /** The features, float32 [rows, features], standardized when asked. */
  x: Tensor;
  /** Class labels, int32 [rows] (float32 [rows, 1] with `regression`). */
  y: Tensor;
  /** The names of the feature columns, in order: header names, or `column 1`, `column 2`, … (1-based). */
  featureNames: string[];
  /** The name of the label column (`column N` without a header). */
  labelName: string;
  /** For text labels: the class names, sorted; label k means `classes[k]`. Absent for numeric labels. */
  classes?: string[];
  /** With `standardize`: each feature's mean, float32 [features]. */
  mean?: Tensor;
  /** With `standardize`: each feature's standard deviation (1 for a constant feature), float32 [features]. */
  std?: Tensor;
}

/** One record of the file: its cells and the (1-based) line it starts on. */
interface Row {
  cells: string[];
  line: number;
}

/** A decimal number as written in data files: 12, -3.5, .5, 1e-3 (not hex, not NaN or Infinity). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const isNumber = (cell: string): boolean => NUMBER.test(cell.trim());

/** How NaN and infinities are spelt by the programs that write CSV (JavaScript, NumPy, pandas, R). */
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Splits CSV text into records (RFC 4180): fields separated by `delimiter`; a field in double
 * quotes may hold the delimiter, line breaks and doubled quotes (""); lines end in LF, CRLF or
 * CR. Unquoted fields are trimmed of surrounding spaces and tabs. Blank lines are skipped.
 */
function tokenize(text: string, delimiter: string, name: string): Row[] {
  const rows: Row[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark
  let line = 1;
  while (i < n) {
    // Blank lines, quickly (a file of nothing but line breaks must not take long).
    const c = text[i];
    if (c === '\n' || c === '\r') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    const cells: string[] = [];
    let blank = true;
    for (;;) {
      // One field, starting at i.
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t') && text[j] !== delimiter) j++;
      if (j < n && text[j] === '"') {
        blank = false;
        const opened = line;
        let value = '';
        let k = j + 1;
        for (;;) {
          const q = text.indexOf('"', k);
          if (q === -1) {
            throw new Error(
              `${name}: line ${opened}, column ${cells.length + 1}: a quoted field is never closed (missing ")`,
            );
          }
          const chunk = text.slice(k, q);
          for (let c = 0; c < chunk.length; c++) {
            const ch = chunk.charCodeAt(c);
            if (ch === 10 || (ch === 13 && chunk.charCodeAt(c + 1) !== 10)) line++;
          }
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            k = q + 2;
          } else {
            k = q + 1;
            break;
          }
        }
        while (k < n && (text[k] === ' ' || text[k] === '\t') && text[k] !== delimiter) k++;
        if (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') {
          throw new Error(
            `${name}: line ${line}, column ${cells.length + 1}: unexpected ${JSON.stringify(text[k])} after a closing quote ` +
              '(a quote inside a quoted field is written as "")',
          );
        }
        cells.push(value);
        i = k;
      } else {
        let k = i;
        while (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') k++;
        const value = text.slice(i, k).trim();
        if (value !== '' || text[k] === delimiter) blank = false;
        cells.push(value);
        i = k;
      }
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      // End of record: a line break or the end of the text.
      if (i < n && text[i] === '\r') i++;
      if (i < n && text[i] === '\n') i++;
      line++;
      break;
    }
    if (!blank) rows.push({ cells, line: start });
  }
  return rows;
}

/** Decides whether the first row is a header (see {@link CsvOptions.header}). */
function looksLikeHeader(rows: readonly Row[]): boolean {
  const first = rows[0].cells;
  if (rows.length === 1) return first.some((c) => !isNumber(c));
  const second = rows[1].cells;
  return first.some((c, j) => !isNumber(c) && j < second.length && isNumber(second[j]));
}

function columnIndex(
  label: string | number | undefined,
  names: readonly string[] | null,
  width: number,
  name: string,
): number {
  if (label === undefined) return width - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < -width || label >= width) {
      throw new RangeError(
        `${name}: label column ${label} does not exist; the data has ${width} columns (0 to ${width - 1}, or -1 for the last)`,
      );
    }
    return label < 0 ? label + width : label;
  }
  if (typeof label !== 'string') {
    throw new TypeError(
      `parseCsv: label must be a column name or index, got ${formatValue(label)}`,
    );
  }
  const j = names === null ? -1 : names.indexOf(label.trim());
  if (j === -1) {
    throw new RangeError(
      names === null
        ? `${name}: label column ${JSON.stringify(label)} cannot be found: the data has no header row`
        : `${name}: no column named ${JSON.stringify(label)}; the columns are ${names.map((s) => JSON.stringify(s)).join(', ')}`,
    );
  }
  return j;
}

/**
 * Reads comma-separated text into features and labels: every column but the label column is a
 * numeric feature (float32), the label column gives the classes (int32).
 *
 * - **Labels.** Integer labels are kept as they are. If any label is not a number, all labels are
 *   class names: sorted (JavaScript's string order) into `classes`, and y holds their positions.
 *   A numeric label that is not an integer is an error (pass `regression: true` for numeric
 *   targets, which become float32 [n, 1]).
 * - **Format.** RFC 4180 quoting (delimiters, line breaks and doubled quotes inside double
 *   quotes), LF / CRLF / CR line ends, a byte-order mark, blank lines (skipped) and spaces around
 *   unquoted cells are all accepted.
 * - **Errors** name the data (`options.name`), the line (1-based, counting the header) and the
 *   column (by header name, or by 1-based number): a cell that is not a number, an empty cell, a
 *   row with the wrong number of fields, an unclosed quote.
 * - **NaN and infinities are refused**, naming the line and the column: a feature cell written
 *   `NaN`, `Infinity`, `inf` (any case or sign) or too large for float32, and a label cell written
 *   `NaN` or `Infinity` (a missing value, not a class name). Fill in or drop such rows first.
 *
 * @example
 * const { x, y, classes } = parseCsv('a,b,species\n1,2,cat\n3,4,dog\n', { name: 'pets.csv' });
 * // x: [[1, 2], [3, 4]], y: [0, 1], classes: ['cat', 'dog']
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvData {
  const name = options.name ?? 'CSV data';
  if (typeof text !== 'string') {
    throw new TypeError(
      `parseCsv: ${name}: expected the text as a string, got ${formatValue(text)}`,
    );
  }
  const { label, header = 'auto', delimiter = ',', regression = false } = options;
  if (
    typeof delimiter !== 'string' ||
    delimiter.length !== 1 ||
    delimiter === '"' ||
    delimiter === '\n' ||
    delimiter === '\r'
  ) {
    throw new RangeError(
      `parseCsv: delimiter must be a single character other than a quote or a line break, got ${formatValue(delimiter)}`,
    );
  }
  if (header !== true && header !== false && header !== 'auto') {
    throw new TypeError(
      `parseCsv: header must be true, false or 'auto', got ${formatValue(header)}`,
    );
  }
  const rows = tokenize(text, delimiter, name);
  if (rows.length === 0) throw new Error(`${name}: no data (the text is empty or blank)`);
  if (header === false && typeof label === 'string') {
    throw new TypeError(
      `parseCsv: ${name}: label ${JSON.stringify(label)} names a column, but header is false; give the column's index instead`,
    );
  }
  const hasHeader = header === 'auto' ? typeof label === 'string' || looksLikeHeader(rows) : header;
  const names = hasHeader ? rows[0].cells : null;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new Error(`${name}: a header row but no data rows`);
  const width = hasHeader ? rows[0].cells.length : data[0].cells.length;
  const reference = hasHeader ? 'the header has' : `line ${data[0].line} has`;
  for (const row of data) {
    if (row.cells.length !== width) {
      throw new Error(
        `${name}: line ${row.line} has ${row.cells.length} field${row.cells.length === 1 ? '' : 's'}, but ${reference} ${width}`,
      );
    }
  }
  if (width < 2) {
    throw new Error(
      `${name}: only ${width} column; need at least one feature column besides the label (is the delimiter ${JSON.stringify(delimiter)} right?)`,
    );
  }
  const labelColumn = columnIndex(label, names, width, name);
  const columnName = (j: number): string => (names === null ? `column ${j + 1}` : names[j]);
  const where = (row: Row, j: number): string =>
    `${name}: line ${row.line}, column ${names === null ? j + 1 : JSON.stringify(names[j])}`;

  const features = width - 1;
  const rowCount = data.length;
  const x = new Float32Array(rowCount * features);
  data.forEach((row, i) => {
    let f = 0;
    for (let j = 0; j < width; j++) {
      if (j === labelColumn) continue;
      const cell = row.cells[j].trim();
      if (!isNumber(cell)) {
        throw new Error(
          cell === ''
            ? `${where(row, j)}: the cell is empty (a missing value); every feature must be a number`
            : NON_FINITE.test(cell)
              ? `${where(row, j)}: ${cell} is not a finite number; every feature must be finite (fill in or drop missing values first)`
              : `${where(row, j)}: ${JSON.stringify(cell)} is not a number`,
        );
      }
      const v = Math.fround(Number(cell));
      if (!Number.isFinite(v)) {
        throw new Error(`${where(row, j)}: ${cell} is too large for float32`);
      }
      x[i * features + f++] = v;
    }
  });

  const labels = data.map((row) => row.cells[labelColumn]);
  data.forEach((row, i) => {
    const cell = labels[i].trim();
    if (cell === '') throw new Error(`${where(row, labelColumn)}: the label is empty`);
    if (NON_FINITE.test(cell)) {
      throw new Error(
        `${where(row, labelColumn)}: label ${cell} is not a finite number (a missing value, not a class)`,
      );
    }
  });
  let y: Tensor;
  let classes: string[] | undefined;
  if (regression) {
    const values = new Float32Array(rowCount);
    data.forEach((row, i) => {
      const cell = labels[i].trim();
      const v = isNumber(cell) ? Math.fround(Number(cell)) : NaN;
      if (!Number.isFinite(v)) {
        throw new Error(
          isNumber(cell)
            ? `${where(row, labelColumn)}: target ${cell} is too large for float32`
            : `${where(row, labelColumn)}: target ${JSON.stringify(cell)} is not a number`,
        );
      }
      values[i] = v;
    });
    y = new Tensor(values, [rowCount, 1]);
  } else if (labels.every((c) => isNumber(c.trim()))) {
    const values = new Int32Array(rowCount);
    data.forEach((row, i) => {
      const v = Number(labels[i]);
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
        throw new Error(
          `${where(row, labelColumn)}: label ${labels[i].trim()} is not an integer class; pass regression: true for numeric targets`,
        );
      }
      values[i] = v;
    });
    y = new Tensor(values, [rowCount]);
  } else {
    classes = [...new Set(labels)].sort();
    const code = new Map(classes.map((c, k) => [c, k]));
    y = new Tensor(
      Int32Array.from(labels, (c) => code.get(c) as number),
      [rowCount],
    );
  }

  const featureNames: string[] = [];
  for (let j = 0; j < width; j++) if (j !== labelColumn) featureNames.push(columnName(j));
  const result: CsvData = {
    x: new Tensor(x, [rowCount, features]),
    y,
    featureNames,
    labelName: columnName(labelColumn),
  };
  if (classes !== undefined) result.classes = classes;
  if (options.standardize) {
    const s = standardize(result.x);
    result.x = s.x;
    result.mean = s.mean;
    result.std = s.std;
  }
  return result;
}
