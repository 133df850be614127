import { readFileSync } from 'node:fs';
import { load } from '../node/model-files.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { predict } from '../train/evaluate.js';
import { UsageError } from './errors.js';

export interface PredictFlags {
  input: string;
  json: boolean;
  /** Load weights that hold NaN or ±Infinity. */
  allowNonFinite?: boolean;
}

/** Reads feature rows from a CSV file (no label column; a header row is skipped) or a JSON array of rows. */
function readRows(path: string, features: number): number[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --input ${path}: ${(e as Error).message}`);
  }
  let rows: number[][];
  if (path.endsWith('.json')) {
    try {
      rows = JSON.parse(text) as number[][];
    } catch (e) {
      throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(rows))
      throw new UsageError(`${path}: expected a JSON array of rows of ${features} numbers`);
  } else {
    rows = readCsvRows(text, path);
  }
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== features || row.some((v) => typeof v !== 'number')) {
      throw new UsageError(
        `${path}: row ${i + 1} must hold ${features} numbers (the model's input features)`,
      );
    }
    checkFinite(row, `${path}: row ${i + 1}`);
  });
  if (rows.length === 0) throw new UsageError(`${path}: no rows to predict`);
  return rows;
}

/** The largest finite float32, about 3.4e38. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Refuses a row with a value that is not finite once stored as float32 (NaN, ±Infinity, or beyond
 * ±3.4e38, which float32 rounds to infinity), naming `where` and the 1-based column.
 */
function checkFinite(row: number[], where: string): void {
  const j = row.findIndex((v) => !Number.isFinite(Math.fround(v)));
  if (j < 0) return;
  const v = row[j];
  const why = Number.isFinite(v)
    ? `is beyond float32's range (at most about ${FLOAT32_MAX.toPrecision(2)} in size)`
    : 'is not a finite number';
  throw new UsageError(`${where}, column ${j + 1}: ${String(v)} ${why}`);
}

/** A CSV cell as a number: `NaN`, `inf` and `Infinity` (any case, signed) included; undefined if not a number. */
function parseCell(cell: string): number | undefined {
  if (/^[+-]?nan$/i.test(cell)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(cell)) return cell.startsWith('-') ? -Infinity : Infinity;
  const v = Number(cell);
  return cell === '' || Number.isNaN(v) ? undefined : v;
}

/** The numeric rows of a CSV text; a first row that is not all numbers is a header and skipped. */
function readCsvRows(text: string, path: string): number[][] {
  const rows: number[][] = [];
  let line = 0;
  let first = true;
  for (const raw of text.split(/\r?\n/)) {
    line++;
    if (raw.trim() === '') continue;
    const cells = raw.split(',').map((c) => c.trim());
    const values = cells.map(parseCell);
    const j = values.indexOf(undefined);
    const isFirst = first;
    first = false;
    if (j >= 0) {
      if (isFirst) continue; // a header row
      throw new UsageError(
        `${path}: line ${line}, column ${j + 1}: ${JSON.stringify(cells[j])} is not a number`,
      );
    }
    const row = values as number[];
    checkFinite(row, `${path}: row ${rows.length + 1} (line ${line})`);
    rows.push(row);
  }
  return rows;
}

/** `nabla predict DIR --input FILE`: the predicted class and its probability for every input row. */
export function predictCommand(
  dir: string,
  flags: PredictFlags,
  log: (line: string) => void = console.log,
): Tensor {
  const { model, description } = load(dir, { allowNonFinite: flags.allowNonFinite === true });
  const meta = (description.metadata ?? {}) as {
    features?: number;
    inputShape?: number[];
    classNames?: string[];
    standardization?: { mean: number[]; std: number[] };
  };
  const features = meta.features ?? Object.values(description.parameters)[0]?.[1];
  if (features === undefined)
    throw new UsageError(`${dir}/model.json does not say how many input features the model takes`);
  if (meta.inputShape !== undefined && meta.inputShape.reduce((a, b) => a * b, 1) !== features)
    throw new UsageError(
      `${dir}/model.json: inputShape [${meta.inputShape.join(', ')}] does not hold ${features} features`,
    );
  let x = tensor(readRows(flags.input, features));
  if (meta.standardization !== undefined)
    x = x.sub(tensor(meta.standardization.mean)).div(tensor(meta.standardization.std));
  // A convolutional model takes each row as an image [C, H, W].
  const input = meta.inputShape === undefined ? x : x.reshape([x.shape[0], ...meta.inputShape]);
  const probabilities = predict(model, input).softmax(-1);
  const classes = probabilities.argmax(-1);
  const n = x.shape[0];
  const c = probabilities.shape[1];
  for (let i = 0; i < n; i++) {
    const k = classes.data[i];
    const name = meta.classNames?.[k] ?? String(k);
    const p = probabilities.data[i * c + k];
    if (flags.json) {
      log(
        JSON.stringify({
          row: i + 1,
          class: name,
          probability: p,
          probabilities: Array.from(probabilities.data.subarray(i * c, (i + 1) * c)),
        }),
      );
    } else {
      log(`${i + 1}\t${name}\t${p.toFixed(4)}`);
    }
  }
  return classes;
}
