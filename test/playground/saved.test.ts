import { describe, expect, it } from 'vitest';
import { readModelFiles, settingsFromFile, type PickedFile } from '../../playground/src/saved.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';

const current = (): Settings => structuredClone(DEFAULT_SETTINGS) as Settings;

/** The two files of a saved network, with `settings` in model.json's metadata. */
function modelFiles(settings: unknown): PickedFile[] {
  const json = JSON.stringify({ format: 'nabla-model', metadata: { playground: { settings } } });
  return [
    new File([json], 'model.json'),
    new File([new Uint8Array([1, 2, 3])], 'model.safetensors'),
  ];
}

describe('the settings saved in a model file', () => {
  it('are read back through the schema, over the current settings', async () => {
    const saved = { ...current(), dataset: 'spiral', classes: 3, hidden: [16, 4], lr: 0.05 };
    const { settings, weights } = await readModelFiles(modelFiles(saved), current());
    expect(settings).toEqual(saved);
    expect(Array.from(weights)).toEqual([1, 2, 3]);
    // A file with only some settings keeps the others; batch 'full' and an empty list read back.
    expect(
      settingsFromFile(
        { batchSize: 'full', hidden: [], discretize: true },
        current(),
        'model.json',
      ),
    ).toEqual({ ...current(), batchSize: 'full', hidden: [], discretize: true });
  });

  it('name each setting that cannot be used and what was expected', async () => {
    const bad = { hidden: [3, 99], lr: -1, optimizer: 'lbfgs', batchSize: '32x', colour: 'red' };
    await expect(readModelFiles(modelFiles(bad), current())).rejects.toThrow(
      'model.json: the playground settings saved in it cannot be used: ' +
        'hidden = [3,99]: expected up to 4 comma-separated layer sizes from 1 to 16 (empty: no hidden layer); ' +
        'lr = -1: expected a number from 0.000001 to 10; ' +
        'optimizer = "lbfgs": expected one of sgd, momentum, nesterov, adagrad, rmsprop, adam; ' +
        'batchSize = "32x": expected an integer from 1 to 2000; ' +
        'unknown setting "colour"',
    );
    expect(() => settingsFromFile({ seed: { n: 1 } }, current(), 'm.json')).toThrow(
      'seed = {"n":1}: expected an integer from 0 to 2147483647',
    );
    expect(() => settingsFromFile([1, 2], current(), 'm.json')).toThrow(
      'm.json: its playground settings are not an object of settings',
    );
  });

  it('refuse features that regression cannot use', () => {
    expect(() =>
      settingsFromFile({ mode: 'regression', features: ['y'] }, current(), 'model.json'),
    ).toThrow('features = ["y"]: regression uses only features of x₁ alone (x, x2, sinx)');
  });

  it('are absent when the file was not saved by the playground', async () => {
    const files = [
      new File(['{"format":"nabla-model"}'], 'model.json'),
      new File([new Uint8Array(0)], 'model.safetensors'),
    ];
    expect((await readModelFiles(files, current())).settings).toBeUndefined();
  });
});
