import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runRounds, runRoundsAsync, type RoundsPlan } from '../../bench/compare/rounds.js';
import type { CaseName, Framework, Run } from '../../bench/compare/types.js';
import {
  BROWSER_PEER_LABELS,
  browserLines,
  gapLines,
  gapNote,
  ranWith,
} from '../../bench/browser/figures.js';
import { ratioRows } from '../../bench/compare/ratios.js';
import { BROWSER_FRAMEWORKS, browserFrameworks } from '../../bench/browser/frameworks.js';
import { errorLine, pageConfig, type BrowserRun } from '../../bench/browser/page.js';
import { resolveRequest } from '../../bench/browser/server.js';
import { wasmFiles } from '../../bench/browser/bundle.js';
import {
  bundleSize,
  gzipSize,
  initialFiles,
  measureNabla,
  nablaEntries,
  referencedWasm,
} from '../../bench/browser/sizes.js';

const byId = (id: string) => BROWSER_FRAMEWORKS.find((f) => f.id === id)!;

describe('browser bench: bundle sizes', () => {
  it('gzips at level 9 and sums JavaScript and .wasm in KB of 1,024 bytes', () => {
    const js = new TextEncoder().encode('export const x = 1;\n'.repeat(200));
    const wasm = new Uint8Array(2048).fill(7);
    const s = bundleSize('lib', 'what', { initial: [js], lazy: [wasm] }, [wasm, wasm]);
    expect(s.jsKB).toBeCloseTo(js.length / 1024, 12);
    expect(s.jsGzipKB).toBeCloseTo(gzipSize(js) / 1024, 12);
    expect(s.wasmKB).toBe(4);
    expect(s.wasmGzipKB).toBeCloseTo((2 * gzipSize(wasm)) / 1024, 12);
    expect(s.totalGzipKB).toBeCloseTo(s.jsGzipKB + s.wasmGzipKB, 12);
    expect(s.lazyGzipKB).toBeCloseTo(gzipSize(wasm) / 1024, 12);
    // Repetitive text compresses: the gzip'd size is far below the raw one.
    expect(gzipSize(js)).toBeLessThan(js.length / 10);
  });

  it('finds the .wasm files a bundle names, each once', () => {
    const text = `new URL("kernels.wasm",import.meta.url);fetch('a-b.simd.wasm');x.wasmPath;"kernels.wasm"`;
    expect(referencedWasm(text)).toEqual(['kernels.wasm', 'a-b.simd.wasm']);
    expect(referencedWasm('no binaries here')).toEqual([]);
  });

  it('counts as loaded at start the entry and its static imports, not dynamic ones', () => {
    const outputs = {
      'out/entry.js': {
        imports: [
          { path: 'out/chunk-a.js', kind: 'import-statement' },
          { path: 'out/viz.js', kind: 'dynamic-import' },
        ],
      },
      'out/chunk-a.js': { imports: [{ path: 'out/chunk-b.js', kind: 'import-statement' }] },
      'out/chunk-b.js': { imports: [{ path: 'out/chunk-a.js', kind: 'import-statement' }] },
      'out/viz.js': { imports: [{ path: 'out/chunk-c.js', kind: 'import-statement' }] },
      'out/chunk-c.js': { imports: [] },
    };
    expect(initialFiles(outputs, 'out/entry.js').sort()).toEqual([
      'out/chunk-a.js',
      'out/chunk-b.js',
      'out/entry.js',
    ]);
  });
});

describe('browser bench: nabla’s bundles', () => {
  it('are the core entry, and the core with nabla/viz', () => {
    const entries = nablaEntries('/r');
    expect(entries.map((e) => e.label)).toEqual(['nabla', 'nabla + viz']);
    expect(entries[0].entry).toEqual({ file: path.join('/r', 'src', 'index.ts') });
    expect(entries[1].entry).toEqual({
      source: "export * from './src/index.ts'; export * from './src/viz.ts';",
      dir: '/r',
    });
  });

  // Issue 16's target for the browser entry: JavaScript and .wasm, min + gzip, ≤ 150 KB.
  it('the core loads ≤ 150 KB at start, .wasm included; viz adds its own code and Graphviz', async () => {
    const root = path.join(import.meta.dirname, '..', '..');
    const [core, withViz] = await measureNabla({ root, wasmFiles });
    expect(core.what).toBe('src/index.ts; nabla.wasm');
    expect(core.wasmGzipKB).toBeGreaterThan(10);
    expect(core.totalGzipKB).toBeLessThanOrEqual(150);
    expect(core.lazyGzipKB).toBeLessThan(10); // the wasm threads' pool, no Graphviz
    expect(withViz.wasmGzipKB).toBe(core.wasmGzipKB);
    expect(withViz.jsGzipKB - core.jsGzipKB).toBeGreaterThan(10);
    expect(withViz.lazyGzipKB).toBeGreaterThan(300); // Graphviz, on renderSvg's first call
  }, 60_000);
});

describe('browser bench: server paths', () => {
  const dirs = { bundle: '/b', tfjsWasm: '/w' };
  it('serves the bundle and the peers’ .wasm under /iso/ (isolated) and /plain/', () => {
    expect(resolveRequest('/iso/index.html', dirs)).toEqual({ page: true, isolated: true });
    expect(resolveRequest('/plain/', dirs)).toEqual({ page: true, isolated: false });
    expect(resolveRequest('/iso/tfjs.js', dirs)).toEqual({
      file: path.join('/b', 'tfjs.js'),
      isolated: true,
    });
    expect(resolveRequest('/plain/wasm/tfjs/tfjs-backend-wasm-simd.wasm', dirs)).toEqual({
      file: path.join('/w', 'tfjs-backend-wasm-simd.wasm'),
      isolated: false,
    });
  });

  it('refuses anything else', () => {
    for (const p of ['/', '/tfjs.js', '/iso/../etc/passwd', '/iso/a/b.js', '/iso/wasm/tfjs/../x']) {
      expect(resolveRequest(p, dirs)).toBeUndefined();
    }
  });
});

describe('browser bench: frameworks, configs and gaps', () => {
  it('selects frameworks by id in table order and rejects unknown ones', () => {
    expect(browserFrameworks('jaxjs,nabla-js').map((f) => f.id)).toEqual(['nabla-js', 'jaxjs']);
    expect(() => browserFrameworks('nabla-js,tfjs-node')).toThrow(/unknown peer tfjs-node/);
  });

  it('gives each page its case, backend, GEMM sizes and the .wasm prefix of its isolation', () => {
    const c = pageConfig(byId('tfjs-wasm-1t'), 'gemm', 'http://h:1') as Record<string, unknown>;
    expect(c).toMatchObject({ case: 'gemm', backend: 'wasm', sizes: [256, 512, 1024], warm: true });
    expect(c.wasmBase).toBe('http://h:1/plain/wasm/tfjs/');
    const w = pageConfig(byId('tfjs-webgl'), 'lenet', 'http://h:1') as Record<string, unknown>;
    expect(w).toMatchObject({ case: 'lenet', backend: 'webgl', windowMs: 0, minSteps: 3 });
  });

  it('keeps the error’s own line', () => {
    const e = new Error("page.evaluate: Error: Error: Kernel 'X' not registered\n    at y");
    expect(errorLine(e)).toBe("Kernel 'X' not registered");
  });

  it('names a gap only when every run of the framework × case is that gap', () => {
    const run = (framework: string, c: CaseName, extra: Partial<BrowserRun>): BrowserRun => ({
      framework,
      case: c,
      ok: false,
      wallSeconds: 1,
      ...extra,
    });
    const runs = [
      run('nabla-wasm', 'tiny', { gap: 'not available in this build', error: 'not available' }),
      run('tfjs-wasm', 'lenet', { gap: 'cannot run', error: "Kernel 'C' not registered" }),
      run('tfjs-wasm', 'lenet', { error: 'crashed' }),
      run('tfjs-cpu', 'lenet', { gap: 'cannot run', error: "Kernel 'C' not registered" }),
    ];
    expect(gapNote(runs, byId('nabla-wasm'), 'tiny')).toBe('not available in this build');
    expect(gapNote(runs, byId('tfjs-wasm'), 'lenet')).toBeUndefined();
    expect(gapNote(runs, byId('jaxjs'), 'lenet')).toBe('no runner');
    // A gap in one case of two: named for that case alone.
    expect(gapLines(runs, [byId('nabla-wasm')], ['tiny', 'gemm'])).toEqual([
      'nabla-wasm tiny: not available',
    ]);
    const both = [...runs, { ...runs[0], case: 'gemm' as CaseName }];
    expect(gapLines(both, [byId('nabla-wasm')], ['tiny', 'gemm'])).toEqual([
      'nabla-wasm, every case: not available',
    ]);
    expect(gapLines(runs, [byId('tfjs-cpu'), byId('jaxjs')], ['lenet'])).toEqual([
      "tfjs-cpu lenet: Kernel 'C' not registered",
      'jaxjs lenet: no runner: no LeNet-5 in bench/peers/jaxjs.mjs (the Node comparison has none either)',
    ]);
  });

  it('adds nabla’s GEMM into a warm output beside the op’s figure; peers have none', () => {
    const gemm = (framework: string, gflops: number, warm?: number): Run => ({
      framework,
      case: 'gemm',
      ok: true,
      wallSeconds: 1,
      result: {
        maxRssMB: 100,
        sizes: [
          {
            n: 1024,
            gflops,
            bestGflops: gflops,
            reps: 3,
            ...(warm ? { warm: { gflops: warm, medianMs: 1 } } : {}),
          },
        ],
      },
    });
    const runs = [gemm('nabla-wasm', 30, 45), gemm('nabla-wasm', 32, 47), gemm('tfjs-wasm', 25)];
    const find = (fw: string, c: CaseName) =>
      runs.filter((r) => r.framework === fw && r.case === c);
    const frameworks = [byId('nabla-wasm'), byId('tfjs-wasm')];
    const lines = browserLines(find, [], frameworks, ['gemm']);
    const op = lines.find((l) => l.key === 'gemm-1024')!;
    const warm = lines.find((l) => l.key === 'gemm-warm-1024')!;
    expect(warm.label).toBe('GEMM 1024, warm output');
    expect(op.samples('nabla-wasm')).toEqual([30, 32]);
    expect(warm.samples('nabla-wasm')).toEqual([45, 47]);
    expect(warm.samples('tfjs-wasm')).toEqual([]);
    expect(lines.indexOf(warm)).toBeGreaterThan(lines.indexOf(op));
    // Peers have no such figure: no ratios for it.
    const columns = frameworks.map((f) => ({ id: f.id, label: f.label }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const rows = ratioRows(lines, columns, ['nabla-wasm'], BROWSER_PEER_LABELS);
    log.mockRestore();
    expect(rows.map((r) => r.case)).toEqual(['gemm-256', 'gemm-512', 'gemm-1024']);
    expect(rows[2].ratios['tfjs-wasm']).toBeCloseTo(31 / 25);
  });

  it('labels a column with what ran: isolation and threads, or the WebGL renderer', () => {
    expect(ranWith(byId('tfjs-wasm'), { crossOriginIsolated: true, threads: 2 })).toBe(
      'COOP/COEP, 2 threads',
    );
    expect(ranWith(byId('tfjs-wasm-1t'), undefined)).toBe('no COOP/COEP');
    const angle = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';
    expect(ranWith(byId('tfjs-webgl'), { renderer: angle })).toBe('SwiftShader');
    expect(ranWith(byId('tfjs-cpu'), { crossOriginIsolated: false })).toBeUndefined();
  });
});

describe('bench rounds, asynchronous', () => {
  const fw = (id: string): Framework => ({ id, label: id, kind: 'nabla' });
  const frameworks = [fw('a'), fw('b'), fw('c')];

  it('runs in the same rotated order as the synchronous rounds, and skips a hung framework', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const result = (f: Framework, c: CaseName): Run => ({
      framework: f.id,
      case: c,
      ok: f.id !== 'b',
      wallSeconds: 0,
      ...(f.id === 'b' && c === 'gemm' ? { timedOut: true } : {}),
    });
    const orderSync: string[] = [];
    const orderAsync: string[] = [];
    const base = { frameworks, cases: ['gemm', 'tiny'] as CaseName[], rounds: 3 };
    const sync: RoundsPlan = {
      ...base,
      run: (f, c) => (orderSync.push(`${c}/${f.id}`), result(f, c)),
    };
    const a = runRounds(sync);
    const b = await runRoundsAsync({
      ...base,
      run: async (f, c) => (orderAsync.push(`${c}/${f.id}`), result(f, c)),
    });
    log.mockRestore();
    expect(orderAsync).toEqual(orderSync);
    expect(orderAsync.slice(0, 6)).toEqual([
      'gemm/a',
      'gemm/b',
      'gemm/c',
      'tiny/a',
      'tiny/c',
      'gemm/c',
    ]);
    expect(b.runs.map((r) => [r.framework, r.case, r.ok, r.round])).toEqual(
      a.runs.map((r) => [r.framework, r.case, r.ok, r.round]),
    );
    expect(b.runs.filter((r) => r.error === 'skipped: an earlier run hung')).toHaveLength(5);
    expect(b.rounds.map((r) => r.order)).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
    ]);
  });
});
