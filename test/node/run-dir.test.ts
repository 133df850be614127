import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRoom, claimRunDir, writableProblem } from '../../src/node/run-dir.js';

const work = mkdtempSync(join(tmpdir(), 'nabla-run-dir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const request = (dir: string, more: Partial<Parameters<typeof claimRunDir>[0]> = {}) => ({
  dir,
  versioned: false,
  overwrite: false,
  own: false,
  flag: '--out',
  ...more,
});

describe('claimRunDir', () => {
  it('swaps the final files in as a whole, keeping the checkpoints, and drops the lock', () => {
    const dir = join(work, 'a');
    const run = claimRunDir(request(dir));
    expect(existsSync(join(work, '.a.lock'))).toBe(true);
    mkdirSync(join(dir, 'checkpoints'));
    writeFileSync(join(dir, 'checkpoints', 'checkpoint.safetensors'), 'ck');
    run.commit((tmp) => {
      writeFileSync(join(tmp, 'model.json'), '{}');
      writeFileSync(join(tmp, 'model.safetensors'), 'w');
    });
    run.release();
    expect(readdirSync(dir).sort()).toEqual(['checkpoints', 'model.json', 'model.safetensors']);
    expect(readFileSync(join(dir, 'checkpoints', 'checkpoint.safetensors'), 'utf8')).toBe('ck');
    expect(readdirSync(work)).toEqual(['a']);
  });

  it('a failed commit leaves the earlier run whole and no temporary folder', () => {
    const dir = join(work, 'b');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.json'), 'old');
    const run = claimRunDir(request(dir, { own: true }));
    expect(() =>
      run.commit((tmp) => {
        writeFileSync(join(tmp, 'model.json'), 'new');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    run.release();
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe('old');
    expect(readdirSync(work).sort()).toEqual(['a', 'b']);
  });

  it('gives versions one past the highest and removes an unused empty one', () => {
    const parent = join(work, 'runs');
    mkdirSync(join(parent, 'version_4'), { recursive: true });
    const run = claimRunDir(request(parent, { versioned: true }));
    expect(run.dir).toBe(join(parent, 'version_5'));
    expect(() => claimRunDir(request(run.dir))).toThrow(/is in use by another nabla train/);
    run.release();
    expect(existsSync(join(parent, 'version_5'))).toBe(false);
  });
});

describe('writableProblem', () => {
  it.each([
    ['EROFS', '/m is not writable (read-only file system)'],
    ['EACCES', '/m is not writable (permission denied)'],
    ['ENOSPC', '/m is not writable (no space left on the device)'],
  ])('%s', (code, message) => {
    expect(writableProblem('/m', Object.assign(new Error(code), { code }))).toBe(message);
  });
});

describe('checkRoom', () => {
  it('refuses a run whose files would not fit, with the numbers', () => {
    expect(() => checkRoom(work, 2 ** 60)).toThrow(
      /--out .*: not enough room for the run's files \(about [\d.]+ MB needed, [\d.]+ MB free\)/,
    );
    expect(() => checkRoom(work, 1)).not.toThrow();
  });
});
