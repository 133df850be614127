import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNetworkSize, parameterCount } from '../../src/cli/network-size.js';
import { runNabla, type Run } from './spawn.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-sizes-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const nabla = (...args: string[]): Run => runNabla(args);

describe('the size --hidden implies', () => {
  it('counts weights and biases', () => {
    expect(parameterCount([2, 16, 16, 2])).toBe(2 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2);
    expect(parameterCount([784, 10])).toBe(7850);
  });

  it('allows ordinary networks and refuses those over 4 GB of weights', () => {
    expect(() => checkNetworkSize([256], 784, 10)).not.toThrow();
    expect(() => checkNetworkSize([30_000, 30_000], 2, 2)).not.toThrow();
    expect(() => checkNetworkSize([1e9], 1, 1)).toThrow(
      '--hidden 1000000000 would need 12 GB of weights (3.00e+9 parameters), more than the 4.0 GB nabla allows for a model',
    );
  });

  it.each([
    [['--hidden', '1e9'], /^nabla: --hidden 1000000000 would need 3\.2 TB of weights/],
    [
      ['--data', 'xor', '--hidden', '100000,100000'],
      /^nabla: --hidden 100000,100000 would need 40 GB of weights/,
    ],
    [['--data', 'csv:/no/such.csv', '--hidden', '70000,70000'], /would need 20 GB of weights/],
  ])('train %j is one line with exit code 2, before any data is read', (args, message) => {
    const r = nabla('train', ...(args as string[]), '--no-progress');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });
});

describe('the split a model.json records', () => {
  it('is checked before evaluate re-prepares the data, naming the file and field', () => {
    const dir = join(out, 'spiral');
    const r = nabla('train', '--data', 'spiral', '--epochs', '1', '--out', dir, '--no-progress');
    expect(r.code).toBe(0);
    const file = join(dir, 'model.json');
    const saved = readFileSync(file, 'utf8');
    for (const [field, value] of [
      ['samples', 1e12],
      ['samples', 'many'],
      ['classes', 1e9],
    ] as const) {
      const model = JSON.parse(saved);
      model.metadata.split[field] = value;
      writeFileSync(file, JSON.stringify(model));
      const ev = nabla('evaluate', dir);
      expect(ev.stderr).toBe(
        `nabla: ${file}: "metadata.split.${field}" is ${JSON.stringify(value)}; expected an integer from ${field === 'samples' ? '10 to 83333333' : '2 to 1000000'}\n`,
      );
      expect(ev.code).toBe(1);
    }
    writeFileSync(file, saved);
    expect(nabla('evaluate', dir).code).toBe(0);
  }, 120_000);
});
