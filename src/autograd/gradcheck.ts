import {
  checkBoolean,
  checkChoice,
  checkFiniteNumber,
  checkFunction,
  checkNonNegative,
  checkObject,
  checkPositive,
} from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import { Generator } from '../tensor/random.js';
import { formatShape, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gradients, tensorList } from './engine.js';
import { withGradMode } from './mode.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3): an entry passes when |analytical − numerical| ≤ atol + rtol·|numerical|. */
  rtol?: number;
  /**
   * `full` compares every entry of the Jacobian; `fast` compares one random projection
   * ⟨c, J·t⟩ (finite differences along t) with ⟨Jᵀc, t⟩ (backward), for large inputs. Default:
   * `full` when the Jacobian has at most 20,000 entries, else `fast`.
   */
  mode?: 'full' | 'fast';
  /** Throw a readable error on failure instead of returning the report (default false). */
  throwOnFailure?: boolean;
  /** Seed of the random projections in `fast` mode (default 0). */
  seed?: number;
}

/** Where the analytical and numerical gradients differ most. */
export interface GradcheckWorst {
  /** Which input (position in `inputs`). */
  input: number;
  /** The element of that input (multi-index); empty in `fast` mode. */
  index: number[];
  /** The element of the output (multi-index); empty in `fast` mode. */
  outputIndex: number[];
  analytical: number;
  numerical: number;
}

/** The result of `gradcheck`. */
export interface GradcheckReport {
  passed: boolean;
  mode: 'full' | 'fast';
  /** The largest |analytical − numerical| over the entries compared. */
  maxAbsError: number;
  /** The largest |analytical − numerical| / |numerical| (0/0 counts as 0). */
  maxRelError: number;
  /** The entry that exceeds the tolerance by most (or has the largest error when all pass). */
  worst: GradcheckWorst | null;
  /** How many entries (or projections) were compared. */
  compared: number;
}

/** The multi-index of flat (row-major) position `flat` in `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  return stridesOf(shape).map((s, d) => Math.floor(flat / s) % shape[d]);
}

/** A float64 copy of `t`. */
function asFloat64(t: Tensor): Tensor {
  const data = new Float64Array(t.size);
  data.set(t.data);
  return new Tensor(data, t.shape);
}

/** The function under test at its float64 inputs, and how to differentiate it. */
interface Problem {
  /** The inputs as passed to `f`: floating-point ones copied to float64 and requiring gradients. */
  xs: Tensor[];
  /** The positions of the floating-point inputs, the ones differentiated. */
  wrt: number[];
  /** `f` at `xs`, in float64. */
  out: Tensor;
  /** Runs `f` at the current values of `xs` and returns its result in float64. */
  evaluate: () => Tensor;
  /** The gradients of ⟨seed, out⟩ with respect to the inputs in `wrt` (backward). */
  analyticalFor: (seed: Tensor) => Tensor[];
}

/**
 * Checks the analytical gradients of `f` at `inputs` against central finite differences in
 * float64. Floating-point inputs are copied to float64 and differentiated; int32 inputs (indices)
 * are passed through. Returns a report, or throws a readable error with `throwOnFailure`.
 *
 * @example
 * const report = gradcheck((x, y) => x.mul(y).sum(), [randn([3]), randn([3])]);
 * report.passed; // => true
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor | readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  checkFunction({ where: 'gradcheck' }, 'f', f);
  const list = tensorList('gradcheck', 'inputs', inputs);
  const opts = checkOptions(options);
  const problem = prepare(f, list);
  const { xs, wrt, out } = problem;
  const nIn = wrt.reduce((n, i) => n + xs[i].size, 0);
  const mode = opts.mode ?? (nIn * out.size <= 20_000 ? 'full' : 'fast');
  const tally = new Tally(opts.atol, opts.rtol);
  if (mode === 'full') compareFull(problem, opts.eps, tally);
  else compareFast(problem, opts.eps, opts.seed, tally);
  const report = tally.report(mode);
  if (!report.passed && opts.throwOnFailure) throw new Error(describeFailure(report, xs));
  return report;
}

/** The options with their defaults, each checked: `gradcheck: eps must be a positive number, got 0`. */
function checkOptions(
  options: unknown,
): Required<Omit<GradcheckOptions, 'mode'>> & Pick<GradcheckOptions, 'mode'> {
  const ctx = { where: 'gradcheck' };
  const o = checkObject(ctx, 'options', options, true) as GradcheckOptions;
  return {
    eps: o.eps === undefined ? 1e-6 : checkPositive(ctx, 'eps', o.eps),
    atol: o.atol === undefined ? 1e-5 : checkNonNegative(ctx, 'atol', o.atol),
    rtol: o.rtol === undefined ? 1e-3 : checkNonNegative(ctx, 'rtol', o.rtol),
    mode:
      o.mode === undefined
        ? undefined
        : checkChoice(ctx, 'mode', o.mode, ['full', 'fast'] as const),
    throwOnFailure:
      o.throwOnFailure === undefined
        ? false
        : checkBoolean(ctx, 'throwOnFailure', o.throwOnFailure),
    seed: o.seed === undefined ? 0 : checkFiniteNumber(ctx, 'seed', o.seed),
  };
}

/** Checks the inputs, copies them to float64 and evaluates `f` once, recording the graph. */
function prepare(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[]): Problem {
  const xs = inputs.map((t) => (isFloating(t.dtype) ? asFloat64(t).requiresGrad_(true) : t));
  const wrt = xs.map((_, i) => i).filter((i) => isFloating(xs[i].dtype));
  if (wrt.length === 0) throw new TypeError('gradcheck: no floating-point input to differentiate');

  const evaluate = (): Tensor => {
    const out = f(...xs);
    if (!(out instanceof Tensor))
      throw new TypeError('gradcheck: the function must return a Tensor');
    return out.dtype === 'float64' ? out : out.to('float64');
  };
  const out = withGradMode(true, evaluate, 'gradcheck');
  const targets = wrt.map((i) => xs[i]);
  const analyticalFor = (seed: Tensor): Tensor[] =>
    out.requiresGrad
      ? gradients(out, targets, { gradOutputs: [seed], retainGraph: true, allowUnused: true })
      : targets.map((t) => new Tensor(new Float64Array(t.size), t.shape));
  return { xs, wrt, out, evaluate, analyticalFor };
}

/** `f` again, with its inputs as they are now, as a plain copy of the output's values. */
function evaluateAgain(problem: Problem): Float64Array {
  return Float64Array.from(withGradMode(true, problem.evaluate, 'gradcheck').data);
}

/** The output with element `k` of `x` moved by `delta` (and put back afterwards). */
function perturbed(problem: Problem, x: Tensor, k: number, delta: number): Float64Array {
  const data = x.data as Float64Array;
  const saved = data[k];
  data[k] = saved + delta;
  const value = evaluateAgain(problem);
  data[k] = saved;
  return value;
}

/** `full` mode: every entry of the Jacobian, by backward per output and differences per input. */
function compareFull(problem: Problem, eps: number, tally: Tally): void {
  const { xs, wrt, out, analyticalFor } = problem;
  // Analytical Jacobian, one row per output element.
  const rows: Float64Array[][] = [];
  for (let j = 0; j < out.size; j++) {
    const seed = new Float64Array(out.size);
    seed[j] = 1;
    rows.push(analyticalFor(new Tensor(seed, out.shape)).map((g) => Float64Array.from(g.data)));
  }
  wrt.forEach((inputIndex, w) => {
    const x = xs[inputIndex];
    for (let k = 0; k < x.size; k++) {
      const plus = perturbed(problem, x, k, eps);
      const minus = perturbed(problem, x, k, -eps);
      for (let j = 0; j < out.size; j++) {
        const numerical = (plus[j] - minus[j]) / (2 * eps);
        tally.consider(rows[j][w][k], numerical, {
          input: inputIndex,
          index: unravel(k, x.shape),
          outputIndex: unravel(j, out.shape),
        });
      }
    }
  });
}

/** `fast` mode: per input, ⟨c, J·t⟩ by differences along a random t against ⟨Jᵀc, t⟩ by backward. */
function compareFast(problem: Problem, eps: number, seed: number, tally: Tally): void {
  const { xs, wrt, out, analyticalFor } = problem;
  const gen = new Generator(seed);
  const c = new Float64Array(out.size);
  gen.fillNormal(c, 0, 1);
  const grads = analyticalFor(new Tensor(c, out.shape));
  wrt.forEach((inputIndex, w) => {
    const x = xs[inputIndex];
    const t = new Float64Array(x.size);
    gen.fillNormal(t, 0, 1);
    let analytical = 0;
    for (let k = 0; k < x.size; k++) analytical += grads[w].data[k] * t[k];
    const data = x.data as Float64Array;
    const saved = Float64Array.from(data);
    for (let k = 0; k < x.size; k++) data[k] = saved[k] + eps * t[k];
    const plus = evaluateAgain(problem);
    for (let k = 0; k < x.size; k++) data[k] = saved[k] - eps * t[k];
    const minus = evaluateAgain(problem);
    data.set(saved);
    let numerical = 0;
    for (let j = 0; j < out.size; j++) numerical += (c[j] * (plus[j] - minus[j])) / (2 * eps);
    tally.consider(analytical, numerical, { input: inputIndex, index: [], outputIndex: [] });
  });
}

/** The running comparison: the largest errors, the worst entry and how many were compared. */
class Tally {
  private maxAbs = 0;
  private maxRel = 0;
  private worst: GradcheckWorst | null = null;
  private worstExcess = -Infinity;
  private compared = 0;

  constructor(
    private readonly atol: number,
    private readonly rtol: number,
  ) {}

  /** Compares one analytical value `a` with its numerical estimate `n`. */
  consider(a: number, n: number, where: Omit<GradcheckWorst, 'analytical' | 'numerical'>): void {
    const { atol, rtol } = this;
    this.compared++;
    const abs = Math.abs(a - n);
    const rel = abs === 0 ? 0 : abs / Math.abs(n);
    const bad =
      Number.isNaN(a) !== Number.isNaN(n) ||
      (!Number.isNaN(abs) && abs > atol + rtol * Math.abs(n));
    const excess = bad
      ? Number.isNaN(abs)
        ? Infinity
        : abs - (atol + rtol * Math.abs(n))
      : abs - (atol + rtol * Math.abs(n));
    if (!Number.isNaN(abs)) {
      this.maxAbs = Math.max(this.maxAbs, abs);
      this.maxRel = Math.max(this.maxRel, rel);
    }
    if (excess > this.worstExcess || this.worst === null) {
      this.worstExcess = excess;
      this.worst = { ...where, analytical: a, numerical: n };
    }
  }

  /** The report of everything compared so far. */
  report(mode: 'full' | 'fast'): GradcheckReport {
    return {
      passed: this.worstExcess <= 0,
      mode,
      maxAbsError: this.maxAbs,
      maxRelError: this.maxRel,
      worst: this.worst,
      compared: this.compared,
    };
  }
}

/** The message of a failed check: where the worst entry is, and the error sizes. */
function describeFailure(report: GradcheckReport, xs: readonly Tensor[]): string {
  const w = report.worst!;
  const where =
    report.mode === 'full'
      ? `input ${w.input} (shape ${formatShape(xs[w.input].shape)}) at index ${formatShape(w.index)}, output index ${formatShape(w.outputIndex)}`
      : `input ${w.input} (shape ${formatShape(xs[w.input].shape)}), random projection`;
  return (
    `gradcheck failed: ${where}: analytical ${w.analytical} vs numerical ${w.numerical} ` +
    `(max abs error ${report.maxAbsError.toExponential(3)}, max rel error ${report.maxRelError.toExponential(3)}, ` +
    `${report.compared} entries compared in ${report.mode} mode)`
  );
}
