import { checkObject, fail, formatValue } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { tokenize, type Row } from './csv-records.js';
import type { LabeledData } from './dataset.js';
import { standardize } from './standardize.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** What to call the data in error messages, such as its file name (default 'parseCsv: CSV data'). */
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

/** A decimal number as written in data files: 12, -3.5, .5, 1e-3 (not hex, not NaN or Infinity). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const isNumber = (cell: string): boolean => NUMBER.test(cell.trim());

/** How NaN and infinities are spelt by the programs that write CSV (JavaScript, NumPy, pandas, R). */
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Decides whether the first row is a header (see {@link CsvOptions.header}). */
function looksLikeHeader(rows: readonly Row[]): boolean {
  const first = rows[0].cells;
  if (rows.length === 1) return first.some((c) => !isNumber(c));
  const second = rows[1].cells;
  return first.some((c, j) => !isNumber(c) && j < second.length && isNumber(second[j]));
}

/** The label column's index, from its name or (possibly negative) index; default the last. */
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
  const { name, label, header, delimiter, regression } = checkOptions(text, options);
  const table = readTable(tokenize(text, delimiter, name), name, header, label, delimiter);
  const { names, data, width } = table;
  const labelColumn = columnIndex(label, names, width, name);
  const columnName = (j: number): string => (names === null ? `column ${j + 1}` : names[j]);
  const x = readFeatures(table, labelColumn);
  const { y, classes } = readLabels(table, labelColumn, regression);

  const featureNames: string[] = [];
  for (let j = 0; j < width; j++) if (j !== labelColumn) featureNames.push(columnName(j));
  const result: CsvData = {
    x: new Tensor(x, [data.length, width - 1]),
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

/** The options of {@link parseCsv} with their defaults, checked along with the text's type. */
function checkOptions(
  text: string,
  options: CsvOptions,
): {
  name: string;
  label: string | number | undefined;
  header: boolean | 'auto';
  delimiter: string;
  regression: boolean;
} {
  checkObject({ where: 'parseCsv' }, 'options', options);
  if (options.name !== undefined && typeof options.name !== 'string')
    fail({ where: 'parseCsv' }, 'name', 'a string', options.name, TypeError);
  const name = options.name ?? 'parseCsv: CSV data';
  if (typeof text !== 'string') {
    const of = options.name === undefined ? '' : `${name}: `;
    throw new TypeError(`parseCsv: ${of}expected the text as a string, got ${formatValue(text)}`);
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
  return { name, label, header, delimiter, regression };
}

/** The data rows, after the header row if any, all of one width, with the column names. */
interface Table {
  /** What to call the data in messages. */
  name: string;
  /** The header's cells, or null when there is no header row. */
  names: readonly string[] | null;
  data: Row[];
  /** The number of columns, label included. */
  width: number;
}

/** Splits off the header row (when there is one) and checks that every row has the same width. */
function readTable(
  rows: Row[],
  name: string,
  header: boolean | 'auto',
  label: string | number | undefined,
  delimiter: string,
): Table {
  if (rows.length === 0) throw new Error(`${name}: no data (the text is empty or blank)`);
  if (header === false && typeof label === 'string') {
    throw new TypeError(
      `${name.startsWith('parseCsv: ') ? '' : 'parseCsv: '}${name}: label ${JSON.stringify(label)} names a column, but header is false; give the column's index instead`,
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
  return { name, names, data, width };
}

/** Where a cell is, for messages: the data's name, the line, and the column's name or number. */
function where(table: Table, row: Row, j: number): string {
  const { name, names } = table;
  return `${name}: line ${row.line}, column ${names === null ? j + 1 : JSON.stringify(names[j])}`;
}

/** The feature cells as float32, row by row, every one a finite number. */
function readFeatures(table: Table, labelColumn: number): Float32Array {
  const { data, width } = table;
  const features = width - 1;
  const x = new Float32Array(data.length * features);
  data.forEach((row, i) => {
    let f = 0;
    for (let j = 0; j < width; j++) {
      if (j === labelColumn) continue;
      const cell = row.cells[j].trim();
      if (!isNumber(cell)) {
        throw new Error(
          cell === ''
            ? `${where(table, row, j)}: the cell is empty (a missing value); every feature must be a number`
            : NON_FINITE.test(cell)
              ? `${where(table, row, j)}: ${cell} is not a finite number; every feature must be finite (fill in or drop missing values first)`
              : `${where(table, row, j)}: ${JSON.stringify(cell)} is not a number`,
        );
      }
      const v = Math.fround(Number(cell));
      if (!Number.isFinite(v)) {
        throw new Error(`${where(table, row, j)}: ${cell} is too large for float32`);
      }
      x[i * features + f++] = v;
    }
  });
  return x;
}

/** The label column as regression targets, integer classes, or class names (then `classes`). */
function readLabels(
  table: Table,
  labelColumn: number,
  regression: boolean,
): { y: Tensor; classes?: string[] } {
  const { data } = table;
  const labels = data.map((row) => row.cells[labelColumn]);
  data.forEach((row, i) => {
    const cell = labels[i].trim();
    if (cell === '') throw new Error(`${where(table, row, labelColumn)}: the label is empty`);
    if (NON_FINITE.test(cell)) {
      throw new Error(
        `${where(table, row, labelColumn)}: label ${cell} is not a finite number (a missing value, not a class)`,
      );
    }
  });
  if (regression) return { y: regressionTargets(table, labelColumn, labels) };
  if (labels.every((c) => isNumber(c.trim()))) {
    return { y: integerClasses(table, labelColumn, labels) };
  }
  const classes = [...new Set(labels)].sort();
  const code = new Map(classes.map((c, k) => [c, k]));
  const y = new Tensor(
    Int32Array.from(labels, (c) => code.get(c) as number),
    [data.length],
  );
  return { y, classes };
}

/** Numeric labels as float32 targets [rows, 1]. */
function regressionTargets(table: Table, labelColumn: number, labels: string[]): Tensor {
  const { data } = table;
  const values = new Float32Array(data.length);
  data.forEach((row, i) => {
    const cell = labels[i].trim();
    const v = isNumber(cell) ? Math.fround(Number(cell)) : NaN;
    if (!Number.isFinite(v)) {
      throw new Error(
        isNumber(cell)
          ? `${where(table, row, labelColumn)}: target ${cell} is too large for float32`
          : `${where(table, row, labelColumn)}: target ${JSON.stringify(cell)} is not a number`,
      );
    }
    values[i] = v;
  });
  return new Tensor(values, [data.length, 1]);
}

/** Numeric labels as int32 classes [rows]; each must be an integer that fits. */
function integerClasses(table: Table, labelColumn: number, labels: string[]): Tensor {
  const { data } = table;
  const values = new Int32Array(data.length);
  data.forEach((row, i) => {
    const v = Number(labels[i]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new Error(
        `${where(table, row, labelColumn)}: label ${labels[i].trim()} is not an integer class; pass regression: true for numeric targets`,
      );
    }
    values[i] = v;
  });
  return new Tensor(values, [data.length]);
}
