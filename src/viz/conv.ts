import { conv2d } from '../ops/conv.js';
import { fail } from '../tensor/check.js';
import { tensor } from '../tensor/creation.js';
import { formatNumber } from './dot.js';

/** A small matrix as rows of numbers. */
export type Grid = number[][];

/** Options of {@link explainConv}: the example's numbers (each defaults to the lecture's example). */
export interface ExplainConvOptions {
  /** The input image, n×n (default 4×4: 1 … 16). */
  input?: Grid;
  /** The kernel, k×k with k ≤ n (default 2×2: [[1, 2], [−1, 0]]). */
  kernel?: Grid;
  /** δ = ∂L/∂y, the upstream gradient at the output, (n − k + 1)² (default: small integers). */
  delta?: Grid;
}

/** What {@link explainConv} computes: the forward pass, both gradients two ways, and their agreement. */
export interface ConvExplanation {
  input: Grid;
  kernel: Grid;
  /** y = x ⋆ K (cross-correlation, stride 1, no padding), as `conv2d` computes it. */
  output: Grid;
  /** Each output element as its sum of products, e.g. `y₀₀ = 1·1 + 2·2 + 5·(−1) + 6·0 = 0`. */
  sums: string[];
  delta: Grid;
  /** ∂L/∂x by the rule: the full correlation of δ with the kernel flipped in both directions. */
  inputGrad: Grid;
  /** ∂L/∂K by the rule: the correlation of the input with δ. */
  kernelGrad: Grid;
  /** The largest difference between the rules and autograd's gradients (0 up to rounding). */
  autogradDifference: number;
}

const DEFAULT_INPUT: Grid = [
  [1, 2, 3, 4],
  [5, 6, 7, 8],
  [9, 10, 11, 12],
  [13, 14, 15, 16],
];
const DEFAULT_KERNEL: Grid = [
  [1, 2],
  [-1, 0],
];
const DEFAULT_DELTA: Grid = [
  [1, 0, -1],
  [2, 1, 0],
  [0, -1, 1],
];

/** `grid` checked to be a size×size matrix of finite numbers. */
function square(name: string, grid: unknown, size?: number): Grid {
  const ok =
    Array.isArray(grid) &&
    grid.length > 0 &&
    (size === undefined || grid.length === size) &&
    grid.every(
      (row) =>
        Array.isArray(row) &&
        row.length === grid.length &&
        row.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  if (!ok) {
    const what = size === undefined ? 'a square matrix' : `a ${size}×${size} matrix`;
    fail({ where: 'explainConv' }, name, `${what} of finite numbers (rows of numbers)`, grid);
  }
  return grid as Grid;
}

/** out[i][j] = Σ a[i + u][j + v]·b[u][v] over b's entries: the valid cross-correlation. */
function correlate(a: Grid, b: Grid): Grid {
  const size = a.length - b.length + 1;
  return Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) => {
      let s = 0;
      for (let u = 0; u < b.length; u++)
        for (let v = 0; v < b.length; v++) s += a[i + u][j + v] * b[u][v];
      return s;
    }),
  );
}

/** `g` surrounded by `p` rings of zeros. */
function padZeros(g: Grid, p: number): Grid {
  const n = g.length + 2 * p;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => g[i - p]?.[j - p] ?? 0),
  );
}

const flip = (g: Grid): Grid => [...g].reverse().map((row) => [...row].reverse());

const sub = (i: number, j: number): string =>
  String.fromCharCode(0x2080 + i) + String.fromCharCode(0x2080 + j);

const term = (v: number): string => (v < 0 ? `(${formatNumber(v)})` : formatNumber(v));

/**
 * The convolution lesson on a tiny example: one n×n input, one k×k kernel, stride 1, no padding.
 * It runs `conv2d` forward, takes δ = ∂L/∂y as given (L = Σ δ ⊙ y), and computes both gradients by
 * the rules the lectures state — ∂L/∂x is the *full* correlation of δ with the kernel flipped
 * (rotated 180°), ∂L/∂K the correlation of the input with δ — and checks them against autograd.
 *
 * @example
 * import { explainConv, explainConvText } from 'nabla/viz';
 * const e = explainConv();
 * e.output[0][0]; // => 0 (1·1 + 2·2 + 5·(−1) + 6·0)
 * e.autogradDifference; // => 0
 * console.log(explainConvText(e));
 */
export function explainConv(options: ExplainConvOptions = {}): ConvExplanation {
  if (options === null || typeof options !== 'object') {
    fail(
      { where: 'explainConv' },
      'options',
      'an object such as { kernel: [[1, 0], [0, 1]] }',
      options,
      TypeError,
    );
  }
  const input = square('input', options.input ?? DEFAULT_INPUT);
  const kernel = square('kernel', options.kernel ?? DEFAULT_KERNEL);
  if (kernel.length > input.length) {
    fail(
      { where: 'explainConv' },
      'kernel',
      `at most ${input.length}×${input.length} (the input's size)`,
      kernel,
    );
  }
  const m = input.length - kernel.length + 1;
  const delta = square('delta', options.delta ?? (m === 3 ? DEFAULT_DELTA : ones(m)), m);
  const output = correlate(input, kernel);
  const inputGrad = correlate(padZeros(delta, kernel.length - 1), flip(kernel));
  const kernelGrad = correlate(input, delta);
  return {
    input,
    kernel,
    output,
    sums: sums(input, kernel, output),
    delta,
    inputGrad,
    kernelGrad,
    autogradDifference: checkWithAutograd(input, kernel, delta, output, inputGrad, kernelGrad),
  };
}

function ones(m: number): Grid {
  return Array.from({ length: m }, () => Array<number>(m).fill(1));
}

function sums(input: Grid, kernel: Grid, output: Grid): string[] {
  return output.flatMap((row, i) =>
    row.map((y, j) => {
      const parts = kernel.flatMap((kr, u) =>
        kr.map((k, v) => `${term(input[i + u][j + v])}·${term(k)}`),
      );
      return `y${sub(i, j)} = ${parts.join(' + ')} = ${formatNumber(y)}`;
    }),
  );
}

/** Runs conv2d in float64 with autograd and returns the largest difference from the rules. */
function checkWithAutograd(
  input: Grid,
  kernel: Grid,
  delta: Grid,
  output: Grid,
  inputGrad: Grid,
  kernelGrad: Grid,
): number {
  const x = tensor([[input]], { dtype: 'float64', requiresGrad: true });
  const k = tensor([[kernel]], { dtype: 'float64', requiresGrad: true });
  const y = conv2d(x, k);
  y.mul(tensor([[delta]], { dtype: 'float64' }))
    .sum()
    .backward();
  const diff = (a: ArrayLike<number>, b: Grid): number =>
    Math.max(...b.flat().map((v, i) => Math.abs(v - a[i])));
  return Math.max(
    diff(y.data, output),
    diff(x.grad!.data, inputGrad),
    diff(k.grad!.data, kernelGrad),
  );
}

function showGrid(name: string, g: Grid): string[] {
  const cells = g.map((row) => row.map((v) => formatNumber(v)));
  const width = Math.max(...cells.flat().map((c) => c.length));
  return [
    `${name} =`,
    ...cells.map((row) => `  [ ${row.map((c) => c.padStart(width)).join('  ')} ]`),
  ];
}

/**
 * The explanation as text for a terminal: the forward pass (every output as its sum of products),
 * then both gradients with the rule that gives each, and the check against autograd.
 *
 * @example
 * import { explainConv, explainConvText } from 'nabla/viz';
 * console.log(explainConvText(explainConv()));
 */
export function explainConvText(e: ConvExplanation): string {
  if (e === null || typeof e !== 'object' || !Array.isArray(e.sums)) {
    fail({ where: 'explainConvText' }, 'e', 'an explanation from explainConv()', e, TypeError);
  }
  const k = e.kernel.length;
  return [
    'Forward: y = x ⋆ K (cross-correlation: slide K over x, multiply, add; stride 1, no padding)',
    ...showGrid('x', e.input),
    ...showGrid('K', e.kernel),
    ...e.sums.map((s) => `  ${s}`),
    ...showGrid('y', e.output),
    '',
    'Backward, with δ = ∂L/∂y given:',
    ...showGrid('δ', e.delta),
    '',
    `∂L/∂x = full correlation of δ (padded by ${k - 1} zero${k === 2 ? '' : 's'} on each side) with K flipped 180° — each x feeds every y whose window covers it:`,
    ...showGrid('flip(K)', flip(e.kernel)),
    ...showGrid('∂L/∂x', e.inputGrad),
    '',
    '∂L/∂K = correlation of x with δ — each weight is used at every window position, so its gradients add:',
    ...showGrid('∂L/∂K', e.kernelGrad),
    '',
    `Autograd (conv2d, float64) agrees: largest difference ${e.autogradDifference.toExponential(1)}.`,
  ].join('\n');
}
