/**
 * Tracing cost: `trace()` of a chain of 10⁵ scalar operations, with the gradient of every node
 * (one extra backward pass) and without, and DOT export of it (capped at 500 drawn nodes). The
 * issue's bar: about a second for 10⁵ nodes.
 *
 * Run alone: `npm run build && node --expose-gc --import tsx bench/trace.ts`.
 */
import { getBackend, scalar, type Tensor } from 'nabla';
import { toDot, trace } from 'nabla/viz';
import { Benchmark, fixed, formatTable, isMain, median, repeatTimed } from './report.js';

function chain(n: number): Tensor {
  const x = scalar(0.5, { requiresGrad: true, name: 'x' });
  let y = x;
  for (let i = 0; i < n; i++) y = i % 2 ? y.mul(0.9999) : y.add(0.0001);
  return y;
}

export function run(): { rows: { case: string; medianMs: number }[] } {
  const bench = new Benchmark(
    'trace',
    `trace and DOT export of 10⁵ operations, backend ${getBackend()}`,
  );
  const cases: [string, (y: Tensor) => unknown][] = [
    ['trace with gradients', (y) => trace(y)],
    ['trace without gradients', (y) => trace(y, { gradients: false })],
    ['toDot (500 nodes drawn)', (y) => toDot(trace(y, { gradients: false }))],
  ];
  const rows = cases.map(([name, f]) => {
    const runs = repeatTimed(4, 1, () => chain(100_000), f);
    return { case: name, medianMs: median(runs.map((r) => r.ms)) };
  });
  console.log(
    formatTable(
      ['case (10⁵ nodes)', 'median ms'],
      rows.map((r) => [r.case, fixed(r.medianMs, 0)]),
    ),
  );
  return bench.finish({ backend: getBackend(), rows });
}

if (isMain(import.meta.url)) run();
