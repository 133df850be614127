import { buildSync, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

// The core must run in browsers: bundled for the browser platform it needs no Node module, and
// it runs in a bare JavaScript context (no `process`, no `require`, no `Buffer`).

/**
 * `input` bundled for browsers as one script defining the global `nabla`, with a test (in the
 * calling `describe`) that the bundle needs no Node module.
 */
function browserScript(input: Pick<BuildOptions, 'entryPoints' | 'stdin' | 'external'>): string {
  const result = buildSync({
    ...input,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'nabla',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  it('bundles for the browser with no Node built-ins', () => {
    expect(result.errors).toEqual([]);
    expect(code).not.toMatch(/require\(["']node:/);
  });
  return code;
}

describe('the browser-safe core', () => {
  const code = browserScript({ entryPoints: [join(import.meta.dirname, '..', 'src', 'index.ts')] });

  it('computes gradients in a context without Node globals', () => {
    const context: Record<string, unknown> = { out: undefined };
    runInNewContext(
      `${code}
      const x = nabla.tensor([1, 2, 3], { requiresGrad: true });
      const y = x.mul(x).sum();
      y.backward();
      out = { y: y.item(), grad: Array.from(x.grad.data), noProcess: typeof process === 'undefined', printed: String(x.grad) };`,
      context,
    );
    expect(context.out).toEqual({
      y: 14,
      grad: [2, 4, 6],
      noProcess: true,
      printed: 'tensor([2., 4., 6.])',
    });
  });
});

/** `nabla/viz`, an entry of its own beside the core, runs in browsers too. */
describe('nabla/viz beside the core', () => {
  const code = browserScript({
    stdin: {
      contents: "export * from './src/index.ts'; export * from './src/viz.ts';",
      resolveDir: join(import.meta.dirname, '..'),
      loader: 'js',
    },
    // Graphviz, imported on renderSvg's first call (not made here).
    external: ['@viz-js/viz'],
  });

  it('explains a backward pass and writes its circuit in a context without Node globals', () => {
    const context: Record<string, unknown> = { out: undefined };
    runInNewContext(
      `${code}
      const x = nabla.scalar(-2, { requiresGrad: true, name: 'x' });
      const f = x.add(5).mul(-4);
      const e = nabla.explainBackward(f);
      out = { dot: nabla.toDot(nabla.trace(f)), steps: e.steps.length, text: nabla.explainText(e) };`,
      context,
    );
    const out = context.out as { dot: string; steps: number; text: string };
    expect(out.dot).toMatch(/^digraph/);
    expect(out.steps).toBe(2); // the add and the mul gates
    expect(out.text).toContain('forward: f = −12');
  });
});
