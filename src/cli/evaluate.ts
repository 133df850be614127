import { join } from 'node:path';
import { load } from '../node/model-files.js';
import { evaluate, predict } from '../train/evaluate.js';
import { confusionMatrix, formatConfusionMatrix } from '../train/metrics.js';
import { prepareData } from './data.js';
import { asImages } from './network.js';
import { choiceFlag, UsageError } from './errors.js';
import { savedMetadata } from './saved.js';
import { cliLoss } from './train.js';

/** The splits `--split` names. */
export const SPLITS = ['train', 'validation', 'test'] as const;

export interface EvaluateFlags {
  data?: string;
  split: string;
  /** Load weights that hold NaN or ±Infinity. */
  allowNonFinite?: boolean;
}

/** `nabla evaluate DIR`: the saved model's loss, accuracy and confusion matrix on a split of its data. */
export function evaluateCommand(
  dir: string,
  flags: EvaluateFlags,
  log: (line: string) => void = console.log,
): { loss: number; accuracy?: number } {
  const { model, description } = load(dir, { allowNonFinite: flags.allowNonFinite === true });
  const meta = savedMetadata(description.metadata, join(dir, 'model.json'));
  const spec = flags.data ?? meta.data;
  if (spec === undefined)
    throw new UsageError(
      `${dir}/model.json does not say which data it was trained on; pass --data`,
    );
  const which = choiceFlag(flags.split, '--split', SPLITS);
  const split = meta.split ?? { seed: 0, validation: 0.15, test: 0.15 };
  const flat = prepareData(spec, { ...split });
  // A convolutional model (its model.json has an inputShape) takes the rows as images.
  const data = meta.inputShape === undefined ? flat : asImages(flat);
  const part = data[which];
  const classes = meta.classes ?? data.classes;
  const loss = cliLoss(meta.loss ?? 'crossEntropy', classes);
  const result = evaluate(model, part, { loss });
  log(`${spec} ${which} split: ${part.x.shape[0]} examples`);
  log(
    `loss ${result.loss.toFixed(4)}, accuracy ${result.accuracy === undefined ? '-' : `${(result.accuracy * 100).toFixed(2)}%`}`,
  );
  const matrix = confusionMatrix(predict(model, part.x), part.y, classes);
  log('confusion matrix (rows: true class, columns: predicted):');
  log(formatConfusionMatrix(matrix, meta.classNames));
  return result;
}
