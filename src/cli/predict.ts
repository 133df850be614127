import { readFileSync } from 'node:fs';
import { load } from '../node/model-files.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { predict } from '../train/evaluate.js';
import { UsageError } from './errors.js';

export interface PredictFlags {
  input: string;
  json: boolean;
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
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    rows = [];
    lines.forEach((line, i) => {
      const cells = line.split(',').map((c) => c.trim());
      const values = cells.map(Number);
      if (values.some((v, j) => !Number.isFinite(v) || cells[j] === '')) {
        if (i === 0) return; // a header row
        const j = values.findIndex((v, k) => !Number.isFinite(v) || cells[k] === '');
        throw new UsageError(
          `${path}: line ${i + 1}, column ${j + 1}: ${JSON.stringify(cells[j])} is not a number`,
        );
      }
      rows.push(values);
    });
  }
  rows.forEach((row, i) => {
    if (
      !Array.isArray(row) ||
      row.length !== features ||
      row.some((v) => typeof v !== 'number' || !Number.isFinite(v))
    ) {
      throw new UsageError(
        `${path}: row ${i + 1} must hold ${features} numbers (the model's input features)`,
      );
    }
  });
  if (rows.length === 0) throw new UsageError(`${path}: no rows to predict`);
  return rows;
}

/** `nabla predict DIR --input FILE`: the predicted class and its probability for every input row. */
export function predictCommand(
  dir: string,
  flags: PredictFlags,
  log: (line: string) => void = console.log,
): Tensor {
  const { model, description } = load(dir);
  const meta = (description.metadata ?? {}) as {
    features?: number;
    classNames?: string[];
    standardization?: { mean: number[]; std: number[] };
  };
  const features = meta.features ?? Object.values(description.parameters)[0]?.[1];
  if (features === undefined)
    throw new UsageError(`${dir}/model.json does not say how many input features the model takes`);
  let x = tensor(readRows(flags.input, features));
  if (meta.standardization !== undefined)
    x = x.sub(tensor(meta.standardization.mean)).div(tensor(meta.standardization.std));
  const probabilities = predict(model, x).softmax(-1);
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
