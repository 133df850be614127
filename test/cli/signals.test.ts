/**
 * `nabla train` stopped by SIGTERM (a `kill`, a service manager) or SIGHUP (a closed terminal)
 * as by Ctrl-C: the run stops after its step, writes its checkpoint, removes its lock and exits
 * with 128 + the signal's number and one line; `--resume` then finishes it with the same weights
 * as a run never stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/node/fit.js';
import { nativeAddon } from '../../src/node/native.js';
import { repo, runNabla } from './spawn.js';

const work = mkdtempSync(join(tmpdir(), 'nabla-signals-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const RUN = ['train', '--data', 'spiral', '--epochs', '300', '--no-progress'];
const TSX = join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs');

/** Starts `nabla train` into `out`, sends `signal` after its first checkpoint; what it left. */
async function stopped(
  out: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      TSX,
      join(repo, 'src', 'cli', 'main.ts'),
      ...RUN,
      '--out',
      out,
      '--checkpoint-every',
      '4',
    ],
    { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NABLA_DEBUG: '' } },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const file = join(out, 'checkpoints', 'checkpoint.safetensors');
  const deadline = Date.now() + 60_000;
  while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  child.kill(signal);
  const code = await exited;
  await new Promise((r) => setTimeout(r, 20)); // the last of stderr
  return { code, stderr };
}

/** The lock files (and other hidden entries) a run left beside its folder. */
function hidden(): string[] {
  return readdirSync(work).filter((n) => n.startsWith('.'));
}

describe.skipIf(nativeAddon() === undefined)(
  'nabla train stopped by a signal',
  { timeout: 240_000 },
  () => {
    it('SIGTERM: one line, exit 143, no lock, an intact checkpoint, and --resume finishes the run', async () => {
      const whole = runNabla([...RUN, '--out', join(work, 'whole')]);
      expect(whole.stderr).toBe('');
      const out = join(work, 'term');
      const dir = join(out, 'checkpoints');
      const { code, stderr } = await stopped(out, 'SIGTERM');
      const c = readCheckpoint(dir);
      expect(code).toBe(143);
      expect(stderr).toBe(
        `nabla: stopped by SIGTERM at step ${c.history.steps}; its checkpoint is in ${dir} — go on with: nabla train --resume ${dir}\n`,
      );
      expect(hidden()).toEqual([]);
      expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
      const resumed = runNabla(['train', '--resume', dir, '--no-progress']);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain(`resuming from ${dir} at step ${c.history.steps}`);
      const reference = readFileSync(join(work, 'whole', 'model.safetensors'));
      expect(readFileSync(join(out, 'model.safetensors')).equals(reference)).toBe(true);
      expect(hidden()).toEqual([]);
    });

    it('SIGHUP: one line, exit 129, no lock', async () => {
      const out = join(work, 'hup');
      const dir = join(out, 'checkpoints');
      const { code, stderr } = await stopped(out, 'SIGHUP');
      const c = readCheckpoint(dir);
      expect(code).toBe(129);
      expect(stderr).toMatch(/^nabla: stopped by SIGHUP at step \d+; its checkpoint is in .*\n$/);
      expect(stderr).toContain(`at step ${c.history.steps};`);
      expect(hidden()).toEqual([]);
    });
  },
);
