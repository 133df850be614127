import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelDescription } from '../io/model.js';
import { load } from '../node/model-files.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { predict } from '../train/evaluate.js';
import { choiceFlag, UsageError } from './errors.js';
import { playgroundFeatures, playgroundSettings } from './playground-data.js';

/** The forms `--format` names: CSV with a header row, or one JSON object per line. */
export const PREDICT_FORMATS = ['csv', 'json'] as const;

export interface PredictFlags {
  input: string;
  /** `csv` (the default) or `json`. */
  format?: string;
  /** The older spelling of `--format json`, kept working. */
  json?: boolean;
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

/** What a model.json says of the inputs `predict` takes, checked against the model. */
interface Inputs {
  /** Numbers in each row of the input file. */
  columns: number;
  /** The model's input rows (scaled or expanded into features) for the file's rows. */
  prepare: (rows: number[][]) => Tensor;
  classNames?: string[];
}

/** The inputs of a model saved by `nabla train`: rows of its features, standardized as in training. */
function trainedInputs(dir: string, description: ModelDescription): Inputs {
  const meta = (description.metadata ?? {}) as {
    features?: number;
    inputShape?: number[];
    classNames?: string[];
    standardization?: { mean: number[]; std: number[] };
  };
  const features = meta.features ?? Object.values(description.parameters)[0]?.[1];
  if (features === undefined)
    throw new UsageError(`${dir}/model.json does not say how many input features the model takes`);
  const shape = meta.inputShape;
  if (shape !== undefined && shape.reduce((a, b) => a * b, 1) !== features)
    throw new UsageError(
      `${dir}/model.json: inputShape [${shape.join(', ')}] does not hold ${features} features`,
    );
  const prepare = (rows: number[][]): Tensor => {
    let x = tensor(rows);
    const s = meta.standardization;
    if (s !== undefined) x = x.sub(tensor(s.mean)).div(tensor(s.std));
    // A convolutional model takes each row as an image [C, H, W].
    return shape === undefined ? x : x.reshape([x.shape[0], ...shape]);
  };
  return { columns: features, prepare, classNames: meta.classNames };
}

/** The inputs of a playground model: points (x₁, x₂) of its plane, expanded into its features. */
function inputsOf(dir: string, description: ModelDescription): Inputs {
  const settings = playgroundSettings(description.metadata, join(dir, 'model.json'));
  if (settings === undefined) return trainedInputs(dir, description);
  return {
    columns: 2,
    prepare: (rows) => playgroundFeatures(rows.flat(), settings.features),
  };
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
const csvCell = (text: string): string =>
  /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

/**
 * `nabla predict DIR --input FILE`: the predicted class of every input row, its probability and
 * every class's, as CSV with a header row (`row,class,probability,probability_<class>…`) or, with
 * `--format json`, one JSON object per row.
 */
export function predictCommand(
  dir: string,
  flags: PredictFlags,
  log: (line: string) => void = console.log,
): Tensor {
  const json = predictFormat(flags) === 'json';
  const { model, description } = load(dir, { allowNonFinite: flags.allowNonFinite === true });
  const inputs = inputsOf(dir, description);
  const probabilities = predict(
    model,
    inputs.prepare(readRows(flags.input, inputs.columns)),
  ).softmax(-1);
  const classes = probabilities.argmax(-1);
  const [n, c] = probabilities.shape;
  const names = Array.from({ length: c }, (_, k) => inputs.classNames?.[k] ?? String(k));
  if (!json)
    log(
      ['row', 'class', 'probability', ...names.map((k) => `probability_${k}`)]
        .map(csvCell)
        .join(','),
    );
  for (let i = 0; i < n; i++) {
    const k = classes.data[i];
    const all = Array.from(probabilities.data.subarray(i * c, (i + 1) * c));
    if (json)
      log(JSON.stringify({ row: i + 1, class: names[k], probability: all[k], probabilities: all }));
    else
      log(
        [String(i + 1), csvCell(names[k]), ...[all[k], ...all].map((p) => p.toFixed(4))].join(','),
      );
  }
  return classes;
}

/** `--format`, with the older `--json` as `--format json`; both at odds is a usage error. */
function predictFormat(flags: PredictFlags): 'csv' | 'json' {
  const format = choiceFlag(
    flags.format ?? (flags.json === true ? 'json' : 'csv'),
    '--format',
    PREDICT_FORMATS,
  );
  if (flags.json === true && format !== 'json')
    throw new UsageError(`--json asks for --format json, but --format is ${format}`);
  return format;
}
