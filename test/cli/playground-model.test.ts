// A model downloaded from the playground, run through `nabla evaluate` and `nabla predict`: the
// CLI makes the playground's data again from the settings in model.json (src/cli/playground-data.ts)
// and scores the model as the playground did.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, split } from '../../playground/src/data.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';
import { toTensors, Trainer } from '../../playground/src/trainer.js';
import { evaluateCommand } from '../../src/cli/evaluate.js';
import { playgroundData, playgroundSettings } from '../../src/cli/playground-data.js';
import { predictCommand } from '../../src/cli/predict.js';
import { MODEL_JSON, MODEL_WEIGHTS, serializeModel } from '../../src/index.js';
import { runNabla } from './spawn.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-playground-model-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const settingsOf = (changes: Partial<Settings>): Settings => ({
  ...(structuredClone(DEFAULT_SETTINGS) as Settings),
  ...changes,
});

/** Trains as the playground does, and writes its two files as its Download button does. */
function downloaded(
  name: string,
  settings: Settings,
  epochs: number,
): { dir: string; accuracy: number } {
  const trainer = new Trainer(settings, split(generate(settings), settings.trainRatio));
  for (let i = 0; i < epochs; i++) trainer.stepEpoch();
  const { json, weights } = serializeModel(trainer.model, {
    playground: { settings, step: trainer.step, epoch: trainer.epoch },
  });
  const dir = join(out, name);
  mkdirSync(dir);
  writeFileSync(join(dir, MODEL_JSON), json);
  writeFileSync(join(dir, MODEL_WEIGHTS), weights);
  return { dir, accuracy: trainer.evaluate().testAccuracy };
}

describe('the data of a playground model, made again by the CLI', () => {
  it.each([
    { dataset: 'moons', features: ['x', 'y'] },
    { dataset: 'circles', features: ['x2', 'y2', 'xy'], noise: 0.1, trainRatio: 0.7 },
    { dataset: 'xor', features: ['x', 'y', 'sinx', 'siny'], samples: 200, seed: 7 },
    { dataset: 'spiral', classes: 3, noise: 0.05 },
    { dataset: 'gaussians', classes: 4, noise: 0.2, samples: 333 },
  ] as Partial<Settings>[])('is the playground’s, point for point: %j', (changes) => {
    const settings = settingsOf(changes);
    const s = playgroundSettings({ playground: { settings } }, 'model.json')!;
    const cli = playgroundData(s);
    const page = split(generate(settings), settings.trainRatio);
    for (const part of ['train', 'test'] as const) {
      const expected = toTensors(settings, page[part]);
      expect(cli[part].x.shape).toEqual(expected.x.shape);
      expect(Array.from(cli[part].x.data)).toEqual(Array.from(expected.x.data));
      expect(Array.from(cli[part].y.data)).toEqual(Array.from(expected.y.data));
    }
  });

  it('refuses settings the playground would not write, naming the field', () => {
    const settings = settingsOf({ samples: 5 });
    expect(() => playgroundSettings({ playground: { settings } }, 'm/model.json')).toThrow(
      /m\/model\.json: .*metadata\.playground\.settings\.samples.*5/,
    );
  });
});

describe('nabla evaluate and predict with a model downloaded from the playground', () => {
  const moons = downloaded('moons', settingsOf({ dataset: 'moons', noise: 0.1 }), 40);

  it('scores a moons model on the playground’s test points, as the playground scored it', () => {
    expect(moons.accuracy).toBeGreaterThan(0.9);
    const lines: string[] = [];
    const result = evaluateCommand(moons.dir, { split: 'test' }, (l) => lines.push(l));
    expect(result.accuracy).toBe(moons.accuracy);
    expect(lines[0]).toBe('moons (as the playground makes it) test split: 250 examples');
    // `--data moons` names the same data: the playground's, scaled as it scales it.
    const again = evaluateCommand(moons.dir, { split: 'test', data: 'moons' }, () => {});
    expect(again.accuracy).toBe(moons.accuracy);
    expect(() => evaluateCommand(moons.dir, { split: 'validation' }, () => {})).toThrow(
      /no validation split/,
    );
  });

  it('predicts points of the playground’s plane, expanded into the model’s features', () => {
    const dir = downloaded(
      'circles',
      settingsOf({ dataset: 'circles', features: ['x2', 'y2'] }),
      30,
    ).dir;
    const input = join(out, 'plane.csv');
    // circles: class 1 near the centre… the CLI and the page read the same network's answer.
    writeFileSync(input, 'x1,x2\n0,0\n1.2,1.2\n');
    const lines: string[] = [];
    predictCommand(dir, { input }, (l) => lines.push(l));
    expect(lines[0]).toBe('row,class,probability,probability_0,probability_1');
    expect(lines).toHaveLength(3);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[1])
        .sort(),
    ).toEqual(['0', '1']);
  });

  it('runs from the command line: evaluate prints the playground’s accuracy', () => {
    const r = runNabla(['evaluate', moons.dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`accuracy ${(moons.accuracy * 100).toFixed(2)}%`);
  });
});
