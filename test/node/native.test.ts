import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getBackend, listBackends, setBackend } from '../../src/backend/index.js';
import {
  getNumThreads,
  nativeAddon,
  nativeError,
  selectBackend,
  setNumThreads,
} from '../../src/node/native.js';

const repo = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'nabla-native-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
afterEach(() => setBackend('js'));

describe('choosing the backend in Node', () => {
  it('has the native addon built by npm install', () => {
    // CI installs with `npm ci`, which builds it; a failure names the reason.
    expect(nativeError()).toBeUndefined();
    const cpu = nativeAddon()!.cpu();
    expect(['avx512', 'avx2', 'generic']).toContain(cpu.kernel);
    expect(cpu.threads).toBeGreaterThanOrEqual(1);
  });

  it('picks native by default, js, wasm or native when NABLA_BACKEND says so', () => {
    selectBackend({});
    expect(getBackend()).toBe('native');
    selectBackend({ NABLA_BACKEND: 'js' });
    expect(getBackend()).toBe('js');
    selectBackend({ NABLA_BACKEND: 'wasm' });
    expect(getBackend()).toBe('wasm');
    selectBackend({ NABLA_BACKEND: ' native ' });
    expect(getBackend()).toBe('native');
    expect(listBackends()).toEqual(['js', 'native', 'wasm']);
  });

  it('sets the number of threads the native kernels use', () => {
    const before = getNumThreads();
    try {
      setNumThreads(1);
      expect(getNumThreads()).toBe(1);
      expect(nativeAddon()!.cpu().threads).toBe(1);
    } finally {
      setNumThreads(before);
    }
    expect(() => setNumThreads(0)).toThrow('setNumThreads: expected a whole number ≥ 1, got 0');
  });

  it('names an unknown backend and the ones there are', () => {
    expect(() => selectBackend({ NABLA_BACKEND: 'gpu' })).toThrow(
      'setBackend: no backend named "gpu"; available: js, native, wasm',
    );
  });

  it.each(['js', 'native', 'wasm'])('nabla train prints the backend it runs on (%s)', (name) => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repo, 'src', 'cli', 'main.ts'),
        'train',
        '--data',
        'xor',
        '--epochs',
        '2',
        '--no-progress',
        '--out',
        join(out, name),
      ],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, NABLA_BACKEND: name },
        timeout: 120_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`backend ${name}`);
  });

  it('reports a bad NABLA_BACKEND in one line and keeps going', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repo, 'src', 'cli', 'main.ts'), 'train', '--help'],
      { cwd: repo, encoding: 'utf8', env: { ...process.env, NABLA_BACKEND: 'gpu' } },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'nabla: setBackend: no backend named "gpu"; available: js, native, wasm; using the native backend\n',
    );
  });

  it('reports a bad NABLA_THREADS in one line, and still takes NABLA_BACKEND', () => {
    const probe =
      "import('./src/node.ts').then((n) => console.log(n.getBackend(), n.getWasmThreads()))";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, NABLA_BACKEND: 'wasm', NABLA_THREADS: 'two' },
    });
    expect(r.status).toBe(0);
    const cores = availableParallelism();
    expect(r.stderr).toBe(
      `nabla: NABLA_THREADS="two" is not a whole number ≥ 1; using every core (${cores})\n`,
    );
    expect(r.stdout).toBe(`wasm ${cores}\n`);
  });
});
