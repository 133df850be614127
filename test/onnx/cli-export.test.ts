import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../src/cli/data.js';
import { load } from '../../src/node/model-files.js';
import { argmax } from '../../src/index.js';
import { runNabla } from '../cli/spawn.js';
import { expectSameOutput, runOrt } from './ort.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-onnx-'));
const dir = join(out, 'model');
afterAll(() => rmSync(out, { recursive: true, force: true }));

beforeAll(() => {
  const r = runNabla(['train', '--epochs', '1', '--out', dir, '--no-progress']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 180_000);

describe('nabla export --onnx', () => {
  it("writes the main job's trained model, which ONNX Runtime runs to the same outputs and accuracy", async () => {
    const file = join(out, 'digits.onnx');
    const r = runNabla(['export', dir, '--onnx', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*digits\.onnx \(\d+ bytes, ONNX opset 17\): input "input" \[batch, 784\]/,
    );
    const bytes = new Uint8Array(readFileSync(file));
    const { model, description } = load(dir);
    const data = String(description.metadata?.data);
    expect(data).toBe('mnist');
    const test = prepareData(data, { seed: 0, validation: 0.15, test: 0.15 }).test;
    await expectSameOutput(model, bytes, test.x);
    const predicted = argmax(await ortLogits(bytes, test.x), 1);
    const accuracy = predicted.eq(test.y).mean().item();
    expect(accuracy).toBeGreaterThan(0.8);
  });

  it('refuses a missing target and a low opset in one line with exit code 2', () => {
    for (const args of [
      ['export', dir],
      ['export', dir, '--onnx', join(out, 'x.onnx'), '--opset', '9'],
    ]) {
      const r = runNabla(args);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.code).toBe(2);
    }
  });
});

async function ortLogits(bytes: Uint8Array, x: Parameters<typeof runOrt>[1]) {
  const { tensor } = await import('../../src/index.js');
  const o = await runOrt(bytes, x);
  return tensor(Array.from(o.data as Float32Array)).reshape(o.dims as number[]);
}
