import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SGD, datasets, manualSeed, mlp } from '../../src/index.js';
import { CHECKPOINT_FILE, fit, removeStaleTemps } from '../../src/node/fit.js';

const work = mkdtempSync(join(tmpdir(), 'nabla-stale-temp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A pid that no process has (far above Linux's pid_max). */
const DEAD = 99999999;
const HOUR_AGO = (Date.now() - 3_600_000) / 1000;

/** Writes `name` in `dir`, dated an hour ago unless `fresh`. */
function put(dir: string, name: string, fresh = false): void {
  writeFileSync(join(dir, name), 'partial');
  if (!fresh) utimesSync(join(dir, name), HOUR_AGO, HOUR_AGO);
}

const stale = `${CHECKPOINT_FILE}.${DEAD}.0123456789ab.tmp`;
/** Files that must survive: users' files, a file written during the run, a live writer's. */
const keep = [
  'notes.tmp',
  'checkpoint.safetensors.tmp',
  `${CHECKPOINT_FILE}.12.xyz.tmp`,
  `model.safetensors.${DEAD}.0123456789ab.tmp`,
  `${CHECKPOINT_FILE}.${DEAD}.0123456789ab.tmp.bak`,
];

function folder(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  put(dir, stale);
  for (const k of keep) put(dir, k);
  return dir;
}

describe('stale temporary checkpoint files', () => {
  it('removeStaleTemps removes only old files of nabla’s temp naming', () => {
    const dir = folder('direct');
    const fresh = `${CHECKPOINT_FILE}.${DEAD}.ffffffffffff.tmp`;
    put(dir, fresh, true);
    const live = `${CHECKPOINT_FILE}.${process.ppid}.aaaaaaaaaaaa.tmp`;
    put(dir, live);
    mkdirSync(join(dir, `${CHECKPOINT_FILE}.${DEAD}.bbbbbbbbbbbb.tmp`));
    symlinkSync(join(dir, 'notes.tmp'), join(dir, `${CHECKPOINT_FILE}.${DEAD}.cccccccccccc.tmp`));
    expect(removeStaleTemps(dir, Date.now() - 60_000)).toEqual([stale]);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining([...keep, fresh, live]));
    expect(readdirSync(dir)).not.toContain(stale);
    expect(removeStaleTemps(join(work, 'missing'), Date.now())).toEqual([]);
  });

  const train = (extra: object): void => {
    manualSeed(1);
    const data = datasets.spiral({ samples: 30, classes: 3, seed: 2 });
    fit(mlp([2, 4, 3]), data, {
      epochs: 1,
      batchSize: 10,
      optimizer: (p) => new SGD(p, { lr: 0.1 }),
      ...extra,
    });
  };

  it('are removed when a run with a checkpoint folder starts', () => {
    const dir = folder('start');
    train({ checkpoint: { dir, every: 1 } });
    const names = readdirSync(dir);
    expect(names).not.toContain(stale);
    expect(names.sort()).toEqual([...keep, CHECKPOINT_FILE].sort());
  });

  it('are removed when a run resumes from a folder', () => {
    const dir = join(work, 'resume');
    train({ checkpoint: { dir, every: 1 } });
    put(dir, stale);
    train({ resumeFrom: dir, epochs: 2 });
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });
});
