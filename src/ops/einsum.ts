import type { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './kernels.js';
import { mul } from './binary.js';
import { product } from './matmul.js';
import { diagonal } from './shape-diag.js';

/**
 * `einsum`, built on diagonal, sum, permute, reshape, expand, mul and matmul: each operand's
 * repeated labels become diagonals and its own labels are summed first; then operands are
 * contracted left to right, each pair as one batched matmul (or a broadcast product when nothing
 * is summed), so the matmul-like cases run at matmul's speed and everything differentiates.
 */

/** A term's labels: letters as their char codes, the dims under '...' as ELLIPSIS + i. */
type Labels = number[];

const ELLIPSIS = 1000;

/** A tensor and the label of each of its dims. */
interface Term {
  t: Tensor;
  labels: Labels;
}

function fail(equation: string, why: string): never {
  throw new RangeError(`einsum: ${why} in ${JSON.stringify(equation)}`);
}

/** The letters and ellipsis of one term; `width` dims stand for its '...' (-1: none allowed). */
function parseTerm(text: string, equation: string): { letters: number[]; ellipsisAt: number } {
  const letters: number[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('...', i)) {
      if (ellipsisAt >= 0)
        fail(equation, `'...' appears twice in the term ${JSON.stringify(text)}`);
      ellipsisAt = letters.length;
      i += 2;
    } else if (/[a-zA-Z]/.test(text[i])) letters.push(text.charCodeAt(i));
    else fail(equation, `${JSON.stringify(text[i])} is not a letter`);
  }
  return { letters, ellipsisAt };
}

/** Spells out a term's labels with its '...' covering `width` of the `total` ellipsis dims. */
function withEllipsis(letters: number[], at: number, width: number, total: number): Labels {
  if (at < 0) return letters;
  const dims = Array.from({ length: width }, (_, i) => ELLIPSIS + total - width + i);
  return [...letters.slice(0, at), ...dims, ...letters.slice(at)];
}

/** Every operand's labels and the output's, from the equation. */
function parse(
  equation: string,
  operands: readonly Tensor[],
): { inputs: Labels[]; output: Labels } {
  const text = equation.replace(/\s+/g, '');
  const [lhs, rhs, extra] = text.split('->');
  if (extra !== undefined) fail(equation, "'->' appears twice");
  const terms = lhs.split(',').map((t) => parseTerm(t, equation));
  if (terms.length !== operands.length) {
    fail(equation, `${terms.length} term(s) for ${operands.length} operand(s)`);
  }
  const widths = terms.map((term, i) => {
    const width = operands[i].ndim - term.letters.length;
    if (width < 0 || (term.ellipsisAt < 0 && width !== 0)) {
      fail(
        equation,
        `operand ${i} has ${operands[i].ndim} dims for the term ${JSON.stringify(lhs.split(',')[i])}`,
      );
    }
    return width;
  });
  const total = Math.max(0, ...widths);
  const inputs = terms.map((term, i) =>
    withEllipsis(term.letters, term.ellipsisAt, widths[i], total),
  );
  const ellipsis = Array.from({ length: total }, (_, i) => ELLIPSIS + i);
  if (rhs === undefined) {
    const counts = new Map<number, number>();
    for (const l of inputs.flat()) if (l < ELLIPSIS) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, n]) => n === 1).map(([l]) => l);
    return { inputs, output: [...ellipsis, ...once.sort((a, b) => a - b)] };
  }
  const out = parseTerm(rhs, equation);
  const output = withEllipsis(out.letters, out.ellipsisAt, total, total);
  const seen = new Set(inputs.flat());
  output.forEach((l, i) => {
    if (output.indexOf(l) !== i) fail(equation, `the output names ${String.fromCharCode(l)} twice`);
    if (!seen.has(l)) fail(equation, `the output's ${String.fromCharCode(l)} names no input dim`);
  });
  return { inputs, output };
}

/** Takes diagonals for repeated labels, then sums labels no one else needs. */
function prepare(term: Term, needed: Set<number>): Term {
  let { t, labels } = term;
  for (let i = 0; i < labels.length; i++) {
    const j = labels.indexOf(labels[i], i + 1);
    if (j < 0) continue;
    if (t.shape[i] !== t.shape[j]) {
      throw new RangeError(
        `einsum: the repeated label ${String.fromCharCode(labels[i])} has sizes ${t.shape[i]} and ${t.shape[j]}`,
      );
    }
    t = diagonal(t, 0, i, j);
    labels = [...labels.filter((_, k) => k !== i && k !== j), labels[i]];
    i = -1;
  }
  return sumOut({ t, labels }, (l) => !needed.has(l));
}

function sumOut(term: Term, drop: (l: number) => boolean): Term {
  const axes = term.labels.map((l, i) => (drop(l) ? i : -1)).filter((i) => i >= 0);
  if (axes.length === 0) return term;
  return { t: term.t.sum(axes), labels: term.labels.filter((l) => !drop(l)) };
}

/** The term's tensor with its dims in `order` (labels it lacks become size-1 dims). */
function arrange(term: Term, order: Labels): Tensor {
  const own = order.filter((l) => term.labels.includes(l));
  const moved = term.t.permute(own.map((l) => term.labels.indexOf(l)));
  return moved.reshape(
    order.map((l) => (own.includes(l) ? term.t.shape[term.labels.indexOf(l)] : 1)),
  );
}

const sizeIn = (term: Term, l: number): number => term.t.shape[term.labels.indexOf(l)];

/** The product of a and b, summing the labels both have that `needed` lacks. */
function contract(a: Term, b: Term, needed: Set<number>): Term {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const summed = shared.filter((l) => !needed.has(l));
  const batch = shared.filter((l) => needed.has(l));
  const onlyA = a.labels.filter((l) => !shared.includes(l));
  const onlyB = b.labels.filter((l) => !shared.includes(l));
  // a label's size: 1 where an operand lacks it or broadcasts it, else the operand's size
  const size = (l: number): number => {
    const sa = a.labels.includes(l) ? sizeIn(a, l) : 1;
    return sa !== 1 ? sa : b.labels.includes(l) ? sizeIn(b, l) : 1;
  };
  if (summed.length === 0) {
    const order = [...batch, ...onlyA, ...onlyB];
    return { t: mul(arrange(a, order), arrange(b, order)), labels: order };
  }
  const grow = (term: Term, order: Labels): Tensor =>
    arrange(term, order).expand(order.map((l) => (term.labels.includes(l) ? size(l) : 1)));
  const count = (ls: Labels): number => ls.reduce((p, l) => p * size(l), 1);
  // Each operand as a batch of matrices, transposed in the product rather than copied where its
  // labels already come in the other order (attention's 'bhqd,bhkd->bhqk' reads b as is).
  const transA =
    inOrder(a, [...batch, ...summed, ...onlyA]) && !inOrder(a, [...batch, ...onlyA, ...summed]);
  const transB =
    inOrder(b, [...batch, ...onlyB, ...summed]) && !inOrder(b, [...batch, ...summed, ...onlyB]);
  const matrix = (term: Term, rows: Labels, columns: Labels): Tensor =>
    grow(term, [...batch, ...rows, ...columns]).reshape([
      count(batch),
      count(rows),
      count(columns),
    ]);
  const left = transA ? matrix(a, summed, onlyA) : matrix(a, onlyA, summed);
  const right = transB ? matrix(b, onlyB, summed) : matrix(b, summed, onlyB);
  const labels = [...batch, ...onlyA, ...onlyB];
  return { t: product(left, right, transA, transB).reshape(labels.map(size)), labels };
}

/** Whether the term's labels come in the order `order` gives them (arranging it copies nothing). */
function inOrder(term: Term, order: Labels): boolean {
  const own = order.filter((l) => term.labels.includes(l));
  return own.every((l, i) => term.labels[i] === l);
}

/**
 * PyTorch's `einsum`: the sum of products of the operands' elements over the labels the output
 * lacks. Any subscripts: a label repeated in one operand takes its diagonal (`'ii->i'`), `'...'`
 * stands for broadcast dims, and without `->` the output is the ellipsis dims, then the labels
 * used once in alphabetical order (uppercase first, as PyTorch sorts). Size-1 dims broadcast.
 * Differentiable in every operand.
 *
 * @example
 * const a = tensor([[1, 2], [3, 4]]);
 * einsum('ij,jk->ik', a, a); // => [[7, 10], [15, 22]]
 * einsum('ii', a); // => 5
 * einsum('ij->j', a); // => [4, 6]
 */
export function einsum(equation: string, ...operands: Tensor[] | [readonly Tensor[]]): Tensor {
  const list = (
    operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands
  ) as readonly Tensor[];
  if (typeof equation !== 'string') throw new TypeError('einsum: the equation must be a string');
  list.forEach((t, i) => expectTensor(t, 'einsum', `operand ${i}`));
  if (list.length === 0) throw new RangeError('einsum: needs at least one operand');
  const { inputs, output } = parse(equation, list);
  const neededAfter = (k: number): Set<number> =>
    new Set([...output, ...inputs.slice(k + 1).flat()]);
  let acc = prepare({ t: list[0], labels: inputs[0] }, neededAfter(0));
  for (let k = 1; k < list.length; k++) {
    const next = prepare(
      { t: list[k], labels: inputs[k] },
      new Set([...neededAfter(k), ...acc.labels]),
    );
    acc = contract(acc, next, neededAfter(k));
    acc = sumOut(acc, (l) => !neededAfter(k).has(l));
  }
  return acc.t.permute(output.map((l) => acc.labels.indexOf(l)));
}
