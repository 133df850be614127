import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNabla, type Run } from './spawn.js';

// Each run in its own working folder, so that the default runs/<data> is the test's own.
const work = mkdtempSync(join(tmpdir(), 'nabla-runs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TINY = ['--data', 'xor', '--epochs', '1', '--no-progress'];

const nabla = (cwd: string, ...args: string[]): Run => runNabla(args, cwd);

function folder(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function expectOneLine(r: { stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('nabla train claims its output folder before the first step', () => {
  it('--out /dev/null/m fails before training, in one line naming the path and the reason', () => {
    const r = nabla(work, 'train', '--data', 'xor', '--epochs', '3', '--out', '/dev/null/m');
    expect(r.code).not.toBe(0);
    expectOneLine(
      r,
      /^nabla: --out \/dev\/null\/m: cannot create \/dev\/null\/m: \/dev\/null is not a directory\n$/,
    );
    expect(r.stdout).not.toMatch(/epoch|trained|nabla train:/);
  });

  it('a read-only folder is refused as not writable', () => {
    // root writes through chmod 555, so as root the folder is one in sysfs, which no one may write.
    const ro = process.getuid?.() === 0 ? '/sys/kernel' : folder('read-only');
    if (ro !== '/sys/kernel') spawnSync('chmod', ['555', ro]);
    const r = nabla(work, 'train', ...TINY, '--out', join(ro, 'nabla-m'));
    expect(r.code).not.toBe(0);
    expectOneLine(r, /is not writable \(permission denied\)/);
    expect(r.stdout).toBe('');
  });

  it('default runs go to runs/<data>/version_0, version_1, with latest pointing at the last', () => {
    const cwd = folder('default');
    const first = nabla(cwd, 'train', ...TINY);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'saved the model, history.csv and summary.json in runs/xor/version_0',
    );
    const second = nabla(cwd, 'train', ...TINY);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('in runs/xor/version_1');
    for (const v of ['version_0', 'version_1'])
      expect(existsSync(join(cwd, 'runs', 'xor', v, 'model.safetensors'))).toBe(true);
    expect(readlinkSync(join(cwd, 'runs', 'xor', 'latest'))).toBe('version_1');
    expect(existsSync(join(cwd, 'runs', 'xor', '.version_1.lock'))).toBe(false);
  });

  it('a run that fails leaves no empty version folder behind', () => {
    const cwd = folder('failing');
    const r = nabla(cwd, 'train', '--data', 'csv:/no/such.csv', '--no-progress');
    expect(r.code).toBe(1);
    // Nor the folders made for it: runs/ and runs/<data> were new, so they go too.
    expect(readdirSync(cwd)).toEqual([]);
    mkdirSync(join(cwd, 'keep'));
    const nested = nabla(cwd, 'train', '--data', 'csv:/no/such.csv', '--out', 'keep/a/b');
    expect(nested.code).toBe(1);
    expect(readdirSync(cwd)).toEqual(['keep']);
    expect(readdirSync(join(cwd, 'keep'))).toEqual([]);
  });

  it('an --out that holds a run is refused unless --overwrite', () => {
    const dir = join(work, 'existing');
    expect(nabla(work, 'train', ...TINY, '--out', dir).code).toBe(0);
    const before = readFileSync(join(dir, 'model.safetensors'));
    const again = nabla(work, 'train', ...TINY, '--seed', '1', '--out', dir);
    expect(again.code).toBe(1);
    expectOneLine(again, /already holds a run \(model\.json\).*--overwrite/);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(before)).toBe(true);
    const forced = nabla(work, 'train', ...TINY, '--seed', '1', '--out', dir, '--overwrite');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(before)).toBe(false);
  });

  it('a second run on a locked folder is refused in one line; a stale lock is taken over', () => {
    const dir = join(work, 'locked');
    // A lock held by a live process (this one).
    writeFileSync(join(work, '.locked.lock'), `${process.pid}\n`);
    const r = nabla(work, 'train', ...TINY, '--out', dir);
    expect(r.code).toBe(1);
    expectOneLine(r, new RegExp(`locked is in use by another nabla train \\(pid ${process.pid}`));
    expect(r.stdout).toBe('');
    // A lock whose process is gone.
    writeFileSync(join(work, '.locked.lock'), '4194303\n');
    const s = nabla(work, 'train', ...TINY, '--out', dir);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(existsSync(join(work, '.locked.lock'))).toBe(false);
  });
});

describe('nabla train --resume applies or refuses the flags given with it', () => {
  const first = join(work, 'resumable');
  const checkpoints = join(first, 'checkpoints');

  it('applies --out and --epochs: the run goes on elsewhere, its old folder untouched', () => {
    const r = nabla(
      work,
      'train',
      ...TINY,
      '--epochs',
      '2',
      '--out',
      first,
      '--checkpoint-every',
      '3',
    );
    expect(r.code).toBe(0);
    const summary = readFileSync(join(first, 'summary.json'));
    const moved = join(work, 'moved');
    const m = nabla(
      work,
      'train',
      '--resume',
      checkpoints,
      '--out',
      moved,
      '--epochs',
      '3',
      '--no-progress',
    );
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toContain(`saved the model, history.csv and summary.json in ${moved}`);
    expect(readFileSync(join(moved, 'history.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
    expect(existsSync(join(moved, 'checkpoints', 'checkpoint.safetensors'))).toBe(true);
    expect(readFileSync(join(first, 'summary.json')).equals(summary)).toBe(true);
  });

  it('refuses, in one line naming them, flags a checkpoint fixes', () => {
    const r = nabla(work, 'train', '--resume', checkpoints, '--lr', '0.5', '--hidden', '4');
    expect(r.code).toBe(2);
    expectOneLine(r, /--hidden, --lr cannot be given with it/);
    const e = nabla(work, 'train', '--resume', checkpoints, '--epochs', '1');
    expect(e.code).toBe(2);
    expectOneLine(e, /--epochs 1 with --resume: the checkpoint is already in epoch 2/);
  });
});
