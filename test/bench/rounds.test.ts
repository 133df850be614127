import { describe, expect, it, vi } from 'vitest';
import {
  failureLines,
  rotated,
  runRounds,
  summarize,
  type RoundsPlan,
} from '../../bench/compare/rounds.js';
import type { CaseName, Framework, Run } from '../../bench/compare/types.js';
import { childConfig, GEMM_WARMUP_MS } from '../../bench/compare/child.js';
import { FRAMEWORKS } from '../../bench/compare/frameworks.js';

const fw = (id: string, kind: Framework['kind'] = 'nabla'): Framework => ({ id, label: id, kind });
const A = fw('a');
const B = fw('b', 'torch');
const C = fw('c', 'tfjs');

/** A plan whose runs are recorded instead of started; `fails` lists framework/case that fail. */
function plan(
  rounds: number,
  fails: string[] = [],
  hangs: string[] = [],
): RoundsPlan & { order: string[] } {
  const order: string[] = [];
  return {
    order,
    frameworks: [A, B, C],
    cases: ['gemm', 'tiny', 'main-job'],
    rounds,
    applies: (f, c) => c !== 'main-job' || f.kind === 'nabla',
    run: (f: Framework, c: CaseName): Run => {
      order.push(`${c}/${f.id}`);
      const key = `${c}/${f.id}`;
      if (hangs.includes(key)) {
        return {
          framework: f.id,
          case: c,
          ok: false,
          wallSeconds: 1,
          timedOut: true,
          error: 'hung',
        };
      }
      const ok = !fails.includes(key);
      return {
        framework: f.id,
        case: c,
        ok,
        wallSeconds: 1,
        ...(ok ? {} : { error: `boom ${key}` }),
      };
    },
  };
}

describe('bench rounds', () => {
  it('rotates the order from round to round', () => {
    expect(rotated([1, 2, 3], 0)).toEqual([1, 2, 3]);
    expect(rotated([1, 2, 3], 1)).toEqual([2, 3, 1]);
    expect(rotated([1, 2, 3], 4)).toEqual([2, 3, 1]);
  });

  it('runs every framework once per case and round, in the rotated order, and keeps the load', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const p = plan(3);
    const { runs, rounds } = runRounds(p);
    expect(rounds.map((r) => r.order.join(''))).toEqual(['abc', 'bca', 'cab']);
    expect(rounds.every((r) => r.load.length === 3)).toBe(true);
    expect(p.order.slice(0, 7)).toEqual([
      'gemm/a',
      'gemm/b',
      'gemm/c',
      'tiny/a',
      'tiny/b',
      'tiny/c',
      'main-job/a',
    ]);
    expect(p.order.slice(7, 10)).toEqual(['gemm/b', 'gemm/c', 'gemm/a']);
    expect(runs).toHaveLength(21);
    expect(runs.map((r) => r.round)).toEqual([
      ...Array(7).fill(0),
      ...Array(7).fill(1),
      ...Array(7).fill(2),
    ]);
    expect(failureLines(p, runs)).toEqual([]);
  });

  it('reports a framework that failed a case in every round, not one that failed once', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const p = plan(2, ['tiny/b', 'gemm/c']);
    const { runs } = runRounds(p);
    expect(failureLines(p, runs)).toEqual(['b: tiny: boom tiny/b', 'c: gemm: boom gemm/c']);
  });

  it('does not run a framework again after it hung', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const p = plan(2, [], ['gemm/c']);
    const { runs } = runRounds(p);
    expect(p.order.filter((k) => k.endsWith('/c'))).toEqual(['gemm/c']);
    expect(runs.filter((r) => r.framework === 'c').map((r) => r.error)).toEqual([
      'hung',
      'skipped: an earlier run hung',
      'skipped: an earlier run hung',
      'skipped: an earlier run hung',
    ]);
    expect(failureLines(p, runs)).toEqual(['c: gemm, tiny: hung']);
  });

  it('summarizes the rounds as median, min and max', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(summarize([4, 1])).toEqual({ median: 2.5, min: 1, max: 4, n: 2 });
    expect(summarize([])).toBeUndefined();
  });
});

describe('compare: GEMM run lengths', () => {
  it('warms every framework up for the same time before timing its products', () => {
    for (const f of FRAMEWORKS) {
      expect(childConfig(f, 'gemm')).toMatchObject({ case: 'gemm', gemmWarmupMs: GEMM_WARMUP_MS });
    }
    expect(GEMM_WARMUP_MS).toBeGreaterThan(0);
  });
});
