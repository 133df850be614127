import { describe, expect, it, vi } from 'vitest';
import { figureLines, tableColumns, TORCH_1T, valueOf } from '../../bench/compare/figures.js';
import { ratioRows } from '../../bench/compare/ratios.js';
import type { CaseName, Framework, Run } from '../../bench/compare/types.js';

const nabla: Framework = { id: 'nabla-native-1t', label: 'nabla 1t', kind: 'nabla', threads: 1 };
const torch: Framework = { id: 'pytorch', label: 'PyTorch', kind: 'torch' };

/** PyTorch's runner reports the better of 1 and 2 threads, and both under `byThreads`. */
const torchRuns: Record<string, Run> = {
  gemm: {
    framework: 'pytorch',
    case: 'gemm',
    ok: true,
    wallSeconds: 1,
    result: {
      maxRssMB: 250,
      sizes: [128, 256, 512, 1024].map((n) => ({
        n,
        gflops: 300,
        bestGflops: 310,
        reps: 10,
        threads: 2,
        byThreads: { '1': { gflops: 190 }, '2': { gflops: 300 } },
      })),
    },
  },
  tiny: {
    framework: 'pytorch',
    case: 'tiny',
    ok: true,
    wallSeconds: 1,
    result: {
      maxRssMB: 230,
      stepsPerSecond: 8000,
      threads: 1,
      byThreads: { '1': { stepsPerSecond: 8000 }, '2': { stepsPerSecond: 20 } },
    },
  },
};

const nablaRun = (c: CaseName): Run => ({
  framework: nabla.id,
  case: c,
  ok: true,
  wallSeconds: 1,
  result:
    c === 'gemm'
      ? {
          maxRssMB: 150,
          sizes: [128, 256, 512, 1024].map((n) => ({ n, gflops: 200, bestGflops: 0, reps: 10 })),
        }
      : { maxRssMB: 90, stepsPerSecond: 30000 },
});

function find(fw: string, c: CaseName): Run[] {
  if (fw === 'pytorch') return torchRuns[c] !== undefined ? [torchRuns[c]] : [];
  return fw === nabla.id ? [nablaRun(c)] : [];
}

describe('compare: PyTorch on one thread', () => {
  it('is a column of its own, read from the runner’s 1-thread figures', () => {
    const columns = tableColumns([nabla, torch], [], ['gemm', 'tiny']);
    expect(columns.map((c) => c.id)).toEqual([nabla.id, 'pytorch', TORCH_1T, 'numpy']);
    const lines = figureLines(find);
    const gemm1024 = lines.find((l) => l.key === 'gemm-1024')!;
    expect(valueOf(gemm1024, 'pytorch')).toBe(300);
    expect(valueOf(gemm1024, TORCH_1T)).toBe(190);
    const tiny = lines.find((l) => l.key === 'tiny')!;
    expect(valueOf(tiny, TORCH_1T)).toBe(8000);
  });

  it('sets nabla’s single core beside it in the ratios', () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const columns = tableColumns([nabla, torch], [], ['gemm', 'tiny']);
    const lines = figureLines(find).filter((l) => l.case === 'gemm' || l.case === 'tiny');
    const rows = ratioRows(lines, columns, [nabla.id]);
    const gemm = rows.find((r) => r.case === 'gemm-512')!;
    expect(gemm.ratios.pytorch).toBeCloseTo(200 / 300, 12);
    expect(gemm.ratios[TORCH_1T]).toBeCloseTo(200 / 190, 12);
    vi.restoreAllMocks();
  });
});
