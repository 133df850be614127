import { noGrad } from '../autograd/mode.js';
import { checkInteger, fail } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor } from './arguments.js';

/**
 * Classification metrics. Predictions may be given as class indices (int32 [N]) or as scores
 * ([N, C] logits or probabilities, whose argmax is the prediction; or [N] / [N, 1] scores of a
 * binary classifier, thresholded at `threshold`).
 */

function predictedClasses(predictions: Tensor, threshold: number): ArrayLike<number> {
  return noGrad(() => {
    if (predictions.dtype === 'int32' && predictions.ndim === 1)
      return predictions.data as Int32Array;
    if (predictions.ndim === 2 && predictions.shape[1] > 1)
      return predictions.argmax(1).data as Int32Array;
    const flat = predictions.reshape([-1]);
    return flat.gt(threshold).data;
  });
}

/** Hits of row-wise argmax (first maximum) against the labels, without allocating. */
function argmaxHits(
  scores: ArrayLike<number>,
  rows: number,
  cols: number,
  truth: ArrayLike<number>,
): number {
  let hits = 0;
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    let best = 0;
    let max = scores[o];
    for (let c = 1; c < cols; c++) {
      const v = scores[o + c];
      if (v > max || (v !== v && max === max)) {
        max = v;
        best = c;
      }
    }
    if (best === Math.round(truth[r])) hits++;
  }
  return hits;
}

/** The fraction of predictions equal to the labels. */
export function accuracy(predictions: Tensor, labels: Tensor, threshold = 0.5): number {
  checkTensor('accuracy', 'predictions', predictions);
  checkTensor('accuracy', 'labels', labels);
  checkNumber('accuracy', 'threshold', threshold, 0.5);
  if (predictions.ndim === 2 && predictions.shape[1] > 1 && predictions.shape[0] === labels.size) {
    // The common case, class scores [N, C], counted in place.
    return labels.size === 0
      ? NaN
      : argmaxHits(predictions.data, predictions.shape[0], predictions.shape[1], labels.data) /
          labels.size;
  }
  const predicted = predictedClasses(predictions, threshold);
  const truth = labels.data;
  if (predicted.length !== truth.length) {
    throw new RangeError(
      `accuracy: ${predicted.length} predictions (shape ${formatShape(predictions.shape)}) for ${truth.length} labels (shape ${formatShape(labels.shape)})`,
    );
  }
  if (truth.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === Math.round(truth[i])) hits++;
  return hits / truth.length;
}

/**
 * The confusion matrix: entry [i][j] counts the examples of true class i predicted as class j
 * (int32 [C, C]).
 */
export function confusionMatrix(
  predictions: Tensor,
  labels: Tensor,
  numClasses?: number,
  threshold = 0.5,
): Tensor {
  checkTensor('confusionMatrix', 'predictions', predictions);
  checkTensor('confusionMatrix', 'labels', labels);
  if (numClasses !== undefined)
    checkInteger({ where: 'confusionMatrix' }, 'numClasses', numClasses, 1);
  checkNumber('confusionMatrix', 'threshold', threshold, 0.5);
  const predicted = predictedClasses(predictions, threshold);
  const truth = labels.data;
  if (predicted.length !== truth.length) {
    throw new RangeError(
      `confusionMatrix: ${predicted.length} predictions for ${truth.length} labels`,
    );
  }
  let classes = numClasses ?? 0;
  if (numClasses === undefined) {
    for (let i = 0; i < truth.length; i++)
      classes = Math.max(classes, truth[i] + 1, predicted[i] + 1);
    if (predictions.ndim === 2 && predictions.shape[1] > 1)
      classes = Math.max(classes, predictions.shape[1]);
  }
  const out = new Int32Array(classes * classes);
  for (let i = 0; i < truth.length; i++) {
    const t = Math.round(truth[i]);
    const p = predicted[i];
    if (t < 0 || t >= classes || p < 0 || p >= classes) {
      throw new RangeError(
        `confusionMatrix: class ${t < 0 || t >= classes ? t : p} at index ${i} is outside 0…${classes - 1}`,
      );
    }
    out[t * classes + p]++;
  }
  return new Tensor(out, [classes, classes]);
}

/** A confusion matrix as an aligned text table (rows: true class, columns: predicted). */
export function formatConfusionMatrix(matrix: Tensor, classNames?: readonly string[]): string {
  const c = checkSquare(matrix);
  const names = checkClassNames(classNames, c) ?? Array.from({ length: c }, (_, i) => String(i));
  const cells = Array.from({ length: c }, (_, i) =>
    Array.from({ length: c }, (_, j) => String(matrix.data[i * c + j])),
  );
  const width = Math.max(...names.map((n) => n.length), ...cells.flat().map((s) => s.length));
  const pad = (s: string): string => s.padStart(width);
  const header = `${'true\\pred'.padEnd(Math.max(9, width))} ${names.map(pad).join(' ')}`;
  const rows = cells.map(
    (row, i) => `${names[i].padEnd(Math.max(9, width))} ${row.map(pad).join(' ')}`,
  );
  return [header, ...rows].join('\n');
}

const FORMAT = { where: 'formatConfusionMatrix' };

/** The number of classes of a square [C, C] matrix, or an error naming formatConfusionMatrix. */
function checkSquare(matrix: unknown): number {
  const m = checkTensor(FORMAT.where, 'matrix', matrix);
  if (m.ndim !== 2 || m.shape[0] !== m.shape[1]) {
    throw new RangeError(
      `formatConfusionMatrix: matrix must be a square [C, C] tensor, got shape ${formatShape(m.shape)}`,
    );
  }
  return m.shape[0];
}

/** The class names, when given: `c` strings. */
function checkClassNames(names: unknown, c: number): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
    fail(FORMAT, 'classNames', 'a list of strings', names, TypeError);
  if (names.length !== c) fail(FORMAT, 'classNames', `a list of ${c} names`, names);
  return names as readonly string[];
}
