import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
});
