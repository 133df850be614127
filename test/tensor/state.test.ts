import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBackend, listBackends, registerBackend, setBackend } from '../../src/backend/index.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { scalar, tensor } from '../../src/index.js';
import { engine } from '../../src/tensor/state.js';

const root = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('engine: the one home of global state', () => {
  it('holds the active backend and the registry', () => {
    expect(engine.backend.name).toBe(getBackend());
    expect([...engine.backends.keys()]).toEqual(listBackends());
    const before = getBackend();
    try {
      setBackend('js');
      expect(engine.backend).toBe(engine.backends.get('js'));
    } finally {
      setBackend(before);
    }
  });

  it('holds the tensor methods installed by the ops layer', () => {
    expect(engine.methods).toBeDefined();
    expect(typeof engine.methods?.add).toBe('function');
  });

  it('numbers each backward pass', () => {
    const x = scalar(2, { requiresGrad: true });
    const before = engine.backwardPass;
    x.mul(x).backward();
    expect(engine.backwardPass).toBeGreaterThan(before);
  });

  it('caches the constants that plain numbers become', () => {
    const x = tensor([1, 2]);
    x.mul(0.125);
    const cached = engine.caches.constants.float32.get(0.125);
    expect(cached).toBeDefined();
    x.mul(0.125);
    expect(engine.caches.constants.float32.get(0.125)).toBe(cached);
  });

  it('is the only module-level `let` or `var` in src/', () => {
    const found = files(root).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /^(export )?(let|var) /.test(line) ? [`${relative(root, file)}:${i + 1}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });
});

describe('the backend registry refuses a bogus backend', () => {
  it('checks the name and every kernel, and keeps the active backend', () => {
    const before = getBackend();
    expect(() => registerBackend(42 as never)).toThrow(
      /^registerBackend: backend must be an object, got 42$/,
    );
    expect(() => registerBackend({ ...jsBackend, name: '' })).toThrow(
      /^registerBackend: backend.name must be a non-empty string, got ""$/,
    );
    expect(() =>
      registerBackend({ ...jsBackend, name: 'half', matmul: undefined } as never),
    ).toThrow(
      /^registerBackend: backend.matmul must be a function \(every kernel of Backend\), got undefined$/,
    );
    expect(listBackends()).not.toContain('half');
    expect(() => setBackend(undefined as never)).toThrow(
      /^setBackend: name must be the name of a registered backend, got undefined$/,
    );
    expect(getBackend()).toBe(before);
    expect(tensor([1, 2]).sum().item()).toBe(3);
  });
});
