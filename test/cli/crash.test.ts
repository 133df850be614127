/**
 * Crash safety of `nabla train`: the process is killed with SIGKILL at random moments — before,
 * between and during checkpoint writes — and every time the checkpoint folder holds a complete,
 * loadable checkpoint from which `--resume` finishes the run with the same final weights, byte
 * for byte, as a run never interrupted. NABLA_CRASH_TRIALS sets the number of kills (default 4).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/node/fit.js';

const repo = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'nabla-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TRIALS = Number(process.env.NABLA_CRASH_TRIALS ?? 4);
const RUN = [
  'train',
  '--data',
  'spiral',
  '--epochs',
  '150',
  '--dropout',
  '0.1',
  '--jitter',
  '0.02',
];
const nabla = [process.execPath, '--import', 'tsx', join(repo, 'src', 'cli', 'main.ts')];

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(nabla[0], [...nabla.slice(1), ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A generator of delays from a fixed seed, so that a failing trial can be repeated. */
function delays(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Ten minutes for the default trials; about 30 s a trial beyond that (a stress run under load).
const TIMEOUT = Math.max(600_000, TRIALS * 30_000);

describe('nabla train killed at random moments', { timeout: TIMEOUT }, () => {
  it(`resumes to the same weights after each of ${TRIALS} SIGKILLs`, async () => {
    const whole = run([...RUN, '--no-progress', '--out', join(work, 'whole')]);
    expect(whole.stderr).toBe('');
    const reference = readFileSync(join(work, 'whole', 'model.safetensors'));
    const random = delays(20261202);
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const out = join(work, `trial-${trial}`);
      const dir = join(out, 'checkpoints');
      const child = spawn(
        nabla[0],
        [...nabla.slice(1), ...RUN, '--no-progress', '--out', out, '--checkpoint-every', '4'],
        { cwd: repo, stdio: 'ignore' },
      );
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      // Wait for the first checkpoint (the start-up takes a while), then kill at a random moment.
      const file = join(dir, 'checkpoint.safetensors');
      const deadline = Date.now() + 60_000;
      while (!existsSync(file) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, random() * 1200));
      child.kill('SIGKILL');
      await exited;
      // Whatever the moment, the folder holds one whole checkpoint (no temporary files count).
      const c = readCheckpoint(dir);
      expect(c.history.steps % 4).toBe(0);
      const resumed = run(['train', '--resume', dir, '--no-progress']);
      expect(resumed.stderr).toBe('');
      expect(resumed.status).toBe(0);
      expect(resumed.stdout).toContain(`resuming from ${dir} at step ${c.history.steps}`);
      // Nothing is left beside the run's folder: the lock the kill left was taken over and
      // released, and a swap the kill cut short was cleared (or finished) by the resume.
      expect(readdirSync(work).filter((n) => n.startsWith('.'))).toEqual([]);
      const finished = existsSync(join(out, 'model.safetensors'));
      expect(finished).toBe(true);
      expect(readFileSync(join(out, 'model.safetensors')).equals(reference)).toBe(true);
      outcomes.push(
        `trial ${trial}: killed at step ${c.history.steps}, resumed to the same weights`,
      );
    }
    console.log(outcomes.join('\n'));
    expect(outcomes).toHaveLength(TRIALS);
  });

  it('stops on Ctrl-C with a final checkpoint, exit code 130 and one line, and resumes', async () => {
    const out = join(work, 'sigint');
    const dir = join(out, 'checkpoints');
    const child = spawn(
      nabla[0],
      [...nabla.slice(1), ...RUN, '--no-progress', '--out', out, '--checkpoint-every', '1000'],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    // Training has begun when the settings are printed; then press Ctrl-C.
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('checkpoints every') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await exited;
    const c = readCheckpoint(dir);
    expect(code).toBe(130);
    expect(stderr).toBe(
      `nabla: interrupted at step ${c.history.steps}; its checkpoint is in ${dir} — go on with: nabla train --resume ${dir}\n`,
    );
    // Every 1000 steps would not have saved yet: the checkpoint is the one Ctrl-C wrote.
    expect(c.history.steps).toBeGreaterThan(0);
    expect(c.history.steps).toBeLessThan(1000);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
    const resumed = run(['train', '--resume', dir, '--no-progress']);
    expect(resumed.status).toBe(0);
    const whole = readFileSync(join(work, 'whole', 'model.safetensors'));
    expect(readFileSync(join(out, 'model.safetensors')).equals(whole)).toBe(true);
  });
});
