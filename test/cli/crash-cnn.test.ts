/**
 * Crash safety of a convolutional run with batch norm and augmentation: `nabla train --model cnn`
 * on a small CIFAR-10-format data set (the small VGG: running statistics are buffers, random crops
 * and flips are drawn every epoch) is killed with SIGKILL at random moments after its first
 * checkpoint, and `--resume` finishes it with the same final weights and running statistics, byte
 * for byte, as a run never interrupted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/node/fit.js';

const repo = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'nabla-crash-cnn-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TRIALS = 2;

/** CIFAR-10's binary format: records of a label byte and 3×32×32 pixel bytes, from a fixed LCG. */
function writeTinyCifar(dir: string, perFile: number): void {
  mkdirSync(dir, { recursive: true });
  let s = 12345;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  for (const name of [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin')) {
    const bytes = new Uint8Array(perFile * 3073);
    for (let r = 0; r < perFile; r++) {
      const label = next() % 10;
      bytes[r * 3073] = label;
      // A class-dependent brightness, so that the network has something to learn.
      for (let i = 1; i < 3073; i++) bytes[r * 3073 + i] = (label * 20 + (next() % 60)) & 255;
    }
    writeFileSync(join(dir, name), bytes);
  }
}

const data = join(work, 'cifar');
writeTinyCifar(data, 12);
const RUN = [
  'train',
  '--model',
  'cnn',
  '--data',
  `cifar10:${data}`,
  '--epochs',
  '3',
  '--batch-size',
  '8',
  '--early-stopping',
  '0',
];
const nabla = [process.execPath, '--import', 'tsx', join(repo, 'src', 'cli', 'main.ts')];

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(nabla[0], [...nabla.slice(1), ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('nabla train --model cnn killed at random moments', { timeout: 900_000 }, () => {
  it(`resumes to the same weights and running statistics after each of ${TRIALS} SIGKILLs`, async () => {
    const whole = run([...RUN, '--no-progress', '--out', join(work, 'whole')]);
    expect(whole.stderr).toBe('');
    expect(whole.stdout).toContain('augmented');
    const reference = readFileSync(join(work, 'whole', 'model.safetensors'));
    const delays = [0.35, 0.8];
    for (let trial = 0; trial < TRIALS; trial++) {
      const out = join(work, `trial-${trial}`);
      const dir = join(out, 'checkpoints');
      const child = spawn(
        nabla[0],
        [...nabla.slice(1), ...RUN, '--no-progress', '--out', out, '--checkpoint-every', '2'],
        {
          cwd: repo,
          stdio: 'ignore',
        },
      );
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      const file = join(dir, 'checkpoint.safetensors');
      const deadline = Date.now() + 120_000;
      while (!existsSync(file) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, delays[trial] * 1500));
      child.kill('SIGKILL');
      await exited;
      const c = readCheckpoint(dir);
      expect(c.history.steps % 2).toBe(0);
      const resumed = run(['train', '--resume', dir, '--no-progress']);
      expect(resumed.stderr).toBe('');
      expect(resumed.status).toBe(0);
      expect(readFileSync(join(out, 'model.safetensors')).equals(reference)).toBe(true);
    }
  });
});
