/**
 * (b) The overhead of one operation on tiny tensors, where the arithmetic is nothing and the
 * bookkeeping (argument checks, shapes, allocation, graph recording) is everything — what small
 * teaching networks feel. Each op is timed on inputs without gradients and on inputs with
 * `requiresGrad` (the op then records a graph node), plus one training step of a 2-4-1 tanh MLP
 * written with raw tensor ops.
 *
 * Timed with tinybench; every sample is the mean of a batch of calls (one call is shorter than
 * the timer's resolution), and the table shows the median sample.
 *
 * Run alone: `npm run build && node --expose-gc --import tsx bench/op-overhead.ts`.
 */
import { Bench, type Task } from 'tinybench';
import { noGrad, randn, scalar, type Tensor } from 'nabla';
import { Benchmark, collectGarbage, fixed, formatTable, isMain, now, sig3 } from './report.js';

/** Milliseconds per task (after warm-up); the whole benchmark stays around ten seconds. */
const TIME_MS = 400;
const WARMUP_MS = 100;

/** Keeps results alive so that no call is optimized away. */
const sink: { last: Tensor | null } = { last: null };

interface Case {
  name: string;
  /** The group a row belongs to, for pairing no-grad and grad rows. */
  op: string;
  grad: boolean;
  /** Calls per sample. */
  batch: number;
  fn: () => Tensor;
  /** Forward operations per call (graph nodes recorded when gradients are on). */
  ops: number;
}

/** The tiny ops, each made once without and once with gradients. */
function opCases(): Case[] {
  const make = (grad: boolean): Omit<Case, 'ops'>[] => {
    const opts = { requiresGrad: grad };
    const a0 = scalar(0.5, opts);
    const b0 = scalar(1.5, opts);
    const a22 = randn([2, 2], opts);
    const b22 = randn([2, 2], opts);
    const v4 = randn([4], opts);
    const v8 = randn([8], opts);
    const tag = grad ? 'grad' : 'no grad';
    return [
      {
        name: `add 0-d + 0-d (${tag})`,
        op: 'add 0-d + 0-d',
        grad,
        batch: 500,
        fn: () => a0.add(b0),
      },
      {
        name: `mul [2,2] * [2,2] (${tag})`,
        op: 'mul [2,2] * [2,2]',
        grad,
        batch: 500,
        fn: () => a22.mul(b22),
      },
      { name: `tanh [4] (${tag})`, op: 'tanh [4]', grad, batch: 500, fn: () => v4.tanh() },
      {
        name: `matmul [2,2] @ [2,2] (${tag})`,
        op: 'matmul [2,2] @ [2,2]',
        grad,
        batch: 500,
        fn: () => a22.matmul(b22),
      },
      { name: `sum [8] (${tag})`, op: 'sum [8]', grad, batch: 500, fn: () => v8.sum() },
    ];
  };
  // Each op without gradients next to the same op with them.
  const plain = make(false);
  const recorded = make(true);
  return plain.flatMap((c, i) => {
    const ops = countNodes(recorded[i].fn());
    return [
      { ...c, ops },
      { ...recorded[i], ops },
    ];
  });
}

/** A 2-4-1 tanh MLP on a batch of 4, written with matmul/add/tanh, and its squared-error loss. */
function mlpCases(): Case[] {
  const x = randn([4, 2]);
  const target = randn([4, 1]);
  const w1 = randn([2, 4], { requiresGrad: true, std: 0.5 });
  const b1 = randn([4], { requiresGrad: true, std: 0.1 });
  const w2 = randn([4, 1], { requiresGrad: true, std: 0.5 });
  const b2 = randn([1], { requiresGrad: true, std: 0.1 });
  const params = [w1, b1, w2, b2];
  const loss = (): Tensor => {
    const h = x.matmul(w1).add(b1).tanh();
    const out = h.matmul(w2).add(b2);
    return out.sub(target).square().mean();
  };
  const step = (): Tensor => {
    for (const p of params) p.grad = null;
    const l = loss();
    l.backward();
    return l;
  };
  const ops = countNodes(loss());
  return [
    {
      name: 'mlp 2-4-1 forward (noGrad)',
      op: 'mlp 2-4-1 forward',
      grad: false,
      batch: 50,
      fn: () => noGrad(loss),
      ops,
    },
    {
      name: 'mlp 2-4-1 forward (grad)',
      op: 'mlp 2-4-1 forward',
      grad: true,
      batch: 50,
      fn: loss,
      ops,
    },
    {
      name: 'mlp 2-4-1 forward+backward',
      op: 'mlp 2-4-1 forward',
      grad: true,
      batch: 20,
      fn: step,
      ops,
    },
  ];
}

/** The number of recorded operations behind `t`, walking `gradFn.inputs`. */
function countNodes(t: Tensor): number {
  const seen = new Set<Tensor>();
  const stack = [t];
  let count = 0;
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    if (u.gradFn === null) continue;
    count++;
    stack.push(...u.gradFn.inputs);
  }
  return count;
}

export interface OverheadRow {
  name: string;
  op: string;
  grad: boolean;
  /** Median over samples of the mean ns per call within a sample. */
  nsPerCall: number;
  meanNsPerCall: number;
  /** Relative margin of error of the mean, percent. */
  rme: number;
  samples: number;
  callsPerSample: number;
  /** Forward operations per call. */
  ops: number;
  /** nsPerCall divided by ops. */
  nsPerOp: number;
}

export interface OverheadResults {
  benchmark: 'op-overhead';
  environment: Benchmark<string>['env'];
  timeMsPerTask: number;
  rows: OverheadRow[];
  peakRssMB: number;
}

function rowOf(task: Task, c: Case): OverheadRow {
  const r = task.result;
  if (r.state !== 'completed' && r.state !== 'aborted-with-statistics') {
    const why = r.state === 'errored' ? r.error.message : r.state;
    throw new Error(`op-overhead: task "${c.name}" did not complete: ${why}`);
  }
  const ns = r.latency.p50 * 1e6;
  return {
    name: c.name,
    op: c.op,
    grad: c.grad,
    nsPerCall: ns,
    meanNsPerCall: r.latency.mean * 1e6,
    rme: r.latency.rme,
    samples: r.latency.samplesCount,
    callsPerSample: c.batch,
    ops: c.ops,
    nsPerOp: ns / c.ops,
  };
}

export async function run(): Promise<OverheadResults> {
  const report = new Benchmark(
    'op-overhead',
    'op overhead: ns per call on tiny tensors (tinybench, median of batch means)',
  );
  const cases = [...opCases(), ...mlpCases()];
  const bench = new Bench({
    name: 'op-overhead',
    time: TIME_MS,
    warmupTime: WARMUP_MS,
    iterations: 20,
    throws: true,
  });
  for (const c of cases) {
    const { fn, batch } = c;
    bench.add(c.name, () => {
      const t0 = now();
      for (let i = 0; i < batch; i++) sink.last = fn();
      const elapsed = now() - t0;
      return { overriddenDuration: elapsed / batch, overriddenIterationCost: elapsed };
    });
  }
  // Settle the JIT's type feedback on every case before any is measured, so that the first
  // tasks are not timed on code the later ones deoptimize.
  for (let round = 0; round < 2; round++) {
    for (const c of cases) for (let i = 0; i < c.batch * 20; i++) sink.last = c.fn();
  }
  collectGarbage();
  const tasks = await bench.run();
  const rows = tasks.map((task, i) => rowOf(task, cases[i]));

  const baseline = new Map(rows.filter((r) => !r.grad).map((r) => [r.op, r.nsPerCall]));
  console.log(
    formatTable(
      ['case', 'ns/call', '± rme %', 'ops', 'ns/op', 'vs no grad', 'samples'],
      rows.map((r) => {
        const base = baseline.get(r.op);
        return [
          r.name,
          sig3(r.nsPerCall),
          fixed(r.rme, 1),
          String(r.ops),
          sig3(r.nsPerOp),
          r.grad && base !== undefined ? `${fixed(r.nsPerCall / base, 2)}×` : '—',
          String(r.samples),
        ];
      }),
    ),
  );
  return report.finish({ timeMsPerTask: TIME_MS, rows });
}

if (isMain(import.meta.url)) await run();
