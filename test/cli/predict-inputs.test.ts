import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../src/index.js';
import { runNabla, type Run } from './spawn.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-predict-'));
const dir = join(out, 'model');
afterAll(() => rmSync(out, { recursive: true, force: true }));

const nabla = (...args: string[]): Run => runNabla(args);

beforeAll(() => {
  const r = nabla('train', '--data', 'xor', '--epochs', '1', '--out', dir, '--no-progress');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 120_000);

describe('nabla predict refuses inputs that are not finite in float32', () => {
  it.each([
    [
      'nan.csv',
      'x,y\n0.5,0.5\n0.1,NaN\n',
      /row 2 \(line 3\), column 2: NaN is not a finite number/,
    ],
    [
      'inf.csv',
      '0.5,0.5\n\n-Infinity,1\n',
      /row 2 \(line 3\), column 1: -Infinity is not a finite/,
    ],
    ['big.csv', 'x,y\n1e39,0\n', /row 1 \(line 2\), column 1: 1e\+39 is beyond float32's range/],
    ['big.json', '[[0, 0], [0, -1e39]]', /big\.json: row 2, column 2: -1e\+39 is beyond float32/],
  ])('%s is a one-line error with exit code 2', (name, text, message) => {
    const input = join(out, name);
    writeFileSync(input, text);
    const r = nabla('predict', dir, '--input', input);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it('accepts values up to float32 range', () => {
    const input = join(out, 'edge.csv');
    writeFileSync(input, 'x,y\n3e38,-3e38\n0.5,0.5\n');
    const r = nabla('predict', dir, '--input', input);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The header row, then one row per input.
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });
});

describe('weights that are not finite', () => {
  it('are refused by predict and evaluate unless --allow-non-finite', () => {
    const bad = join(out, 'nan-model');
    cpSync(dir, bad, { recursive: true });
    const file = join(bad, 'model.safetensors');
    const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(file)));
    const first = [...tensors.values()][0];
    first.data[0] = Number.NaN;
    writeFileSync(file, encodeSafetensors(tensors, { format: 'pt' }));
    const input = join(out, 'one.csv');
    writeFileSync(input, '0.5,0.5\n');
    for (const command of [
      ['predict', bad, '--input', input],
      ['evaluate', bad],
    ]) {
      const refused = nabla(...command);
      expect(refused.stderr).toMatch(/holds NaN .*--allow-non-finite/);
      expect(refused.code).toBe(1);
      const allowed = nabla(...command, '--allow-non-finite');
      expect(allowed.stderr).toBe('');
      expect(allowed.code).toBe(0);
    }
  }, 120_000);
});
