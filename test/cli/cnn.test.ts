import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNabla } from './spawn.js';

const work = mkdtempSync(join(tmpdir(), 'nabla-cnn-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('nabla train --model cnn', { timeout: 240_000 }, () => {
  const out = join(work, 'lenet');

  it('trains a LeNet-like network on the digits as 1×28×28 images, and saves what evaluate and predict need', () => {
    const r = runNabla([
      'train',
      '--model',
      'cnn',
      '--max-steps',
      '30',
      '--plots',
      '--no-progress',
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'network LeNet-like: [conv 5×5 → batch norm → ReLU → pool] with 16, then 32 channels → 128 → 10, input 1×28×28, dropout 0.25, augmented, 117,162 parameters',
    );
    expect(r.stdout).toContain('adam lr 0.002 (cosine-annealed to 0), batch 64, up to 15 epochs');
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.metadata.inputShape).toEqual([1, 28, 28]);
    expect(model.parameters['0.weight']).toEqual([16, 1, 5, 5]);
    expect(model.buffers['1.running_mean']).toEqual([16]);
    for (const chart of ['filters', 'feature-maps']) {
      expect(existsSync(join(out, `${chart}.svg`)), chart).toBe(true);
      expect(existsSync(join(out, `${chart}.png`)), chart).toBe(true);
    }
    expect(r.stdout).toMatch(/wrote the charts .*filters, feature-maps/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.model).toBe('cnn');
    // 30 steps of Adam already learn something: far above chance (10%).
    expect(summary.test.accuracy).toBeGreaterThan(0.5);
  });

  it('evaluates and predicts with the saved convolutional model', () => {
    const e = runNabla(['evaluate', out]);
    expect(e.stderr).toBe('');
    expect(e.stdout).toMatch(
      /mnist test split: 2000 examples\nloss \d\.\d{4}, accuracy \d+\.\d{2}%/,
    );
    const rows = join(work, 'rows.json');
    writeFileSync(rows, JSON.stringify([Array(784).fill(0), Array(784).fill(0.5)]));
    const p = runNabla(['predict', out, '--input', rows, '--json']);
    expect(p.stderr).toBe('');
    const lines = p.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].probabilities).toHaveLength(10);
  });

  it.each([
    [
      ['--data', 'spiral'],
      /--model cnn needs image data \(mnist, idx:DIR or cifar10:DIR\); spiral holds rows of 2 features/,
    ],
    [['--hidden', '32'], /--hidden sets the layers of --model mlp; --model cnn has its own/],
    [['--model', 'resnet'], /--model must be one of mlp, cnn, got "resnet"/],
  ])('%j is a one-line error', (args, message) => {
    const r = runNabla(['train', '--model', 'cnn', ...args, '--out', join(work, 'bad')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('nabla explain conv', () => {
  it('prints the convolution lesson, checked against autograd', () => {
    const r = runNabla(['explain', 'conv', '--input', '1,2,3,4,5,6,7,8,9', '--kernel', '1,0,0,-1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('y₀₀ = 1·1 + 2·0 + 4·0 + 5·(−1) = −4');
    expect(r.stdout).toContain('Autograd (conv2d, float64) agrees');
  });

  it('refuses a kernel that is not square, in one line', () => {
    const r = runNabla(['explain', 'conv', '--kernel', '1,2,3']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'nabla: --kernel must hold a square number of values (row by row, comma separated), got 3',
    );
  });
});
