import { join } from 'node:path';
import type { LabeledData } from '../data/dataset.js';
import type { Metadata } from '../io/model-schema.js';
import { load } from '../node/model-files.js';
import { evaluate, predict } from '../train/evaluate.js';
import { confusionMatrix, formatConfusionMatrix } from '../train/metrics.js';
import { prepareData } from './data.js';
import { asImages } from './network.js';
import { choiceFlag, UsageError } from './errors.js';
import { isPlaygroundDataset, playgroundData, playgroundSettings } from './playground-data.js';
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

/** The examples a model is scored on, what to call them, and how it is scored. */
interface Scored {
  name: string;
  part: LabeledData;
  classes: number;
  loss: string;
  classNames?: string[];
}

/**
 * The split of a model `nabla train` saved: its data (or `--data`) made again with the split it
 * recorded, standardized as it was in training.
 */
function trainedSplit(metadata: Metadata | undefined, file: string, flags: EvaluateFlags): Scored {
  const meta = savedMetadata(metadata, file);
  const spec = flags.data ?? meta.data;
  if (spec === undefined)
    throw new UsageError(`${file} does not say which data it was trained on; pass --data`);
  const which = choiceFlag(flags.split, '--split', SPLITS);
  const split = meta.split ?? { seed: 0, validation: 0.15, test: 0.15 };
  const flat = prepareData(spec, { ...split });
  // A convolutional model (its model.json has an inputShape) takes the rows as images.
  const data = meta.inputShape === undefined ? flat : asImages(flat);
  return {
    name: `${spec} ${which} split`,
    part: data[which],
    classes: meta.classes ?? data.classes,
    loss: meta.loss ?? 'crossEntropy',
    classNames: meta.classNames,
  };
}

/**
 * The split of a model the playground saved: its points drawn again from the settings it recorded
 * (`--data` may name another of the playground's sets), scaled and split as the playground does.
 */
function playgroundSplit(
  settings: NonNullable<ReturnType<typeof playgroundSettings>>,
  flags: EvaluateFlags,
): Scored {
  const which = choiceFlag(flags.split, '--split', SPLITS);
  if (which === 'validation')
    throw new UsageError(
      'a model from the playground has training and test points, no validation split; pass --split train or test',
    );
  const dataset =
    flags.data !== undefined && isPlaygroundDataset(flags.data) ? flags.data : settings.dataset;
  const data = playgroundData({ ...settings, dataset });
  return {
    name: `${dataset} (as the playground makes it) ${which} split`,
    part: data[which],
    classes: data.classes,
    loss: settings.loss,
  };
}

/** `nabla evaluate DIR`: the saved model's loss, accuracy and confusion matrix on a split of its data. */
export function evaluateCommand(
  dir: string,
  flags: EvaluateFlags,
  log: (line: string) => void = console.log,
): { loss: number; accuracy?: number } {
  const { model, description } = load(dir, { allowNonFinite: flags.allowNonFinite === true });
  const file = join(dir, 'model.json');
  const playground = playgroundSettings(description.metadata, file);
  const scored =
    playground !== undefined && (flags.data === undefined || isPlaygroundDataset(flags.data))
      ? playgroundSplit(playground, flags)
      : trainedSplit(description.metadata, file, flags);
  const { part, classes } = scored;
  const result = evaluate(model, part, { loss: cliLoss(scored.loss, classes) });
  log(`${scored.name}: ${part.x.shape[0]} examples`);
  log(
    `loss ${result.loss.toFixed(4)}, accuracy ${result.accuracy === undefined ? '-' : `${(result.accuracy * 100).toFixed(2)}%`}`,
  );
  const matrix = confusionMatrix(predict(model, part.x), part.y, classes);
  log('confusion matrix (rows: true class, columns: predicted):');
  log(formatConfusionMatrix(matrix, scored.classNames));
  return result;
}
