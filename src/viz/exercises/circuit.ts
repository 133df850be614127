/**
 * The blanks of a scalar circuit, from nabla's own step-by-step backward pass
 * ({@link explainBackward}): for each gate from the output back, the local gradient and the
 * upstream × local product for each input, and the sum where a value fans out — each with the
 * wrong values a student is likely to give and what they tell.
 *
 * @module
 */
import { gradients } from '../../autograd/engine.js';
import { checkObject, fail } from '../../tensor/check.js';
import { scalar } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { formatSum } from '../dot.js';
import { explainBackward, type ExplainedInput, type ExplainedStep } from '../explain.js';
import { evaluateExpression, formatExpression, parseExpression } from '../expression.js';
import { formatValues, type Blank, type Distractor } from './exercise.js';

/** A scalar circuit: an expression and its variables' values. */
export interface CircuitSpec {
  expression: string;
  values: Readonly<Record<string, number>>;
}

/** The gates of one input, by primitive, for evaluating a local derivative at another point. */
const UNARY: Readonly<Record<string, (x: Tensor, exponent: number) => Tensor>> = {
  sigmoid: (x) => x.sigmoid(),
  exp: (x) => x.exp(),
  log: (x) => x.log(),
  sqrt: (x) => x.sqrt(),
  tanh: (x) => x.tanh(),
  relu: (x) => x.relu(),
  abs: (x) => x.abs(),
  neg: (x) => x.neg(),
  powScalar: (x, exponent) => x.pow(exponent),
};

/** The derivative of the one-input gate `op` at `v`, by autograd (undefined when not finite). */
function derivativeAt(op: string, exponent: number, v: number): number | undefined {
  const gate = UNARY[op];
  if (gate === undefined) return undefined;
  const x = scalar(v, { requiresGrad: true, dtype: 'float64' });
  const d = gradients(gate(x, exponent), [x])[0].item();
  return Number.isFinite(d) ? d : undefined;
}

const neg = (v: readonly number[]): number[] => v.map((x) => -x);
const times = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x * b[i]);
const f = formatValues;

/** Where a value is used: the products every consumer sends back to it, by the consumer's name. */
type Paths = Map<string, { via: string; value: number[] }[]>;

interface Context {
  out: string;
  /** The exponent of each `powScalar` gate, by its node id. */
  exponents: Map<string, number>;
  values: Map<string, number[]>;
  paths: Paths;
}

/** The name on the left of a step's expression: `q1` of `q1 = x + y`. */
const selfOf = (s: ExplainedStep): string => s.expression.split(' = ')[0];

/** The wrong local gradients: another input's, the input itself for ·, the output, the derivative at the output, the sign. */
function localDistractors(s: ExplainedStep, i: ExplainedInput, ctx: Context): Distractor[] {
  const self = selfOf(s);
  const out: Distractor[] = [];
  const wrt = `∂${self}/∂${i.name}`;
  const own = ctx.values.get(i.name);
  if (s.op === 'mul' && own !== undefined)
    out.push({
      value: own,
      mistake: 'branch',
      hint: `that is ${i.name} itself: multiply swaps the inputs, ${wrt} is the other factor`,
    });
  for (const o of s.inputs)
    if (o !== i)
      out.push({
        value: o.local,
        mistake: 'branch',
        hint: `that is ∂${self}/∂${o.name}, the local gradient of the other input; ${wrt} is asked`,
      });
  const output = ctx.values.get(self);
  if (s.inputs.length === 1 && output !== undefined && own !== undefined) {
    out.push({
      value: output,
      mistake: 'output',
      hint: `that is the gate's output ${self} = ${f(output)}; the local gradient is its derivative, ${i.formula}`,
    });
    const atOutput = derivativeAt(s.op, ctx.exponents.get(s.id) ?? 1, output[0]);
    if (atOutput !== undefined)
      out.push({
        value: [atOutput],
        mistake: 'output',
        hint: `that is the derivative evaluated at the output ${self} = ${f(output)}; evaluate it at the gate's input ${i.name} = ${f(own)}`,
      });
  }
  out.push({ value: neg(i.local), mistake: 'sign', hint: `check the sign of ${wrt}` });
  return out;
}

/** The wrong products: upstream or local alone, another input's or another path's, a wrong local, the sign. */
function productDistractors(s: ExplainedStep, i: ExplainedInput, ctx: Context): Distractor[] {
  const self = selfOf(s);
  const local = `∂${self}/∂${i.name} = ${f(i.local)}`;
  const out: Distractor[] = [
    {
      value: s.upstream,
      mistake: 'upstream',
      hint: `that is the upstream gradient alone; multiply it by the local gradient ${local}`,
    },
    {
      value: i.local,
      mistake: 'local',
      hint: `that is the local gradient alone; multiply it by the upstream gradient ∂${ctx.out}/∂${self} = ${f(s.upstream)}`,
    },
  ];
  for (const o of s.inputs)
    if (o !== i)
      out.push({
        value: o.product,
        mistake: 'branch',
        hint: `that is what ${self} sends to ${o.name}; this blank is what it sends to ${i.name}`,
      });
  const paths = ctx.paths.get(i.name) ?? [];
  for (const p of paths)
    if (p.via !== self)
      out.push({
        value: p.value,
        mistake: 'branch',
        hint: `that is the gradient ${i.name} gets along its path through ${p.via}; this blank is the path through ${self}`,
      });
  for (const d of localDistractors(s, i, ctx))
    if (d.mistake === 'output')
      out.push({
        value: times(s.upstream, d.value),
        mistake: 'output',
        hint: `the local gradient is wrong: ${d.hint}`,
      });
  out.push({
    value: neg(i.product),
    mistake: 'sign',
    hint: `check the sign: upstream ${f(s.upstream)} × local ${f(i.local)}`,
  });
  return out;
}

/** Every sum of at least one and fewer than all of `parts`. */
function partialSums(parts: readonly number[][]): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < (1 << parts.length) - 1; mask++) {
    const chosen = parts.filter((_, k) => (mask >> k) & 1);
    out.push(chosen.reduce((a, b) => a.map((x, j) => x + b[j])));
  }
  return out;
}

/** The blank of the sum over the paths of a fanned-out value. */
function sumBlank(
  name: string,
  via: readonly string[],
  parts: readonly number[][],
  total: number[],
  ctx: Context,
): Blank {
  const terms = formatSum(parts.map((p) => f(p)));
  return {
    kind: 'sum',
    prompt: `∂${ctx.out}/∂${name}, the total gradient of ${name} (it feeds ${via.join(', ')})`,
    answer: total,
    shape: [],
    reveal: `∂${ctx.out}/∂${name} = ${terms} = ${f(total)}: gradients add where paths meet`,
    distractors: [
      ...partialSums(parts).map((v): Distractor => ({
        value: v,
        mistake: 'sum',
        hint: `that leaves out a path: ${name} feeds ${via.join(', ')}, and the gradients of all its paths add`,
      })),
      { value: neg(total), mistake: 'sign', hint: `check the signs of the terms: ${terms}` },
    ],
  };
}

/**
 * The two blanks of one input of one gate: its local gradient and upstream × local, each routine
 * when it is a copy (a local gradient of 1; a product where one factor is 1).
 */
function inputBlanks(s: ExplainedStep, i: ExplainedInput, ctx: Context): Blank[] {
  const self = selfOf(s);
  const upstream = `∂${ctx.out}/∂${self} = ${f(s.upstream)}`;
  const one = (v: readonly number[]): boolean => v.every((x) => x === 1);
  return [
    {
      kind: 'local',
      prompt: `∂${self}/∂${i.name}, the local gradient of ${s.expression} with respect to ${i.name}`,
      answer: i.local,
      shape: [],
      reveal: `${i.formula}${i.formula.endsWith(` = ${f(i.local)}`) ? '' : ` = ${f(i.local)}`}`,
      distractors: localDistractors(s, i, ctx),
      routine: one(i.local),
    },
    {
      kind: 'product',
      prompt: `what ${self} sends back to ${i.name}: upstream × local (the upstream is ${upstream})`,
      answer: i.product,
      shape: [],
      reveal: `${f(s.upstream)} × ${f(i.local)} = ${f(i.product)}`,
      distractors: productDistractors(s, i, ctx),
      // a product by 1 copies the other factor
      routine: one(i.local) || one(s.upstream),
    },
  ];
}

/**
 * The circuit of `spec` and every blank of its backward pass, in backward order: at each gate
 * (from the output back) the sum over paths when its value fans out, then for each input the
 * local gradient and upstream × local; last, the total gradient of each input that fans out.
 * Every true value is autograd's.
 *
 * @example
 * import { circuitBlanks } from 'nabla/viz';
 * const { blanks } = circuitBlanks({ expression: '(x + y) * z', values: { x: -2, y: 5, z: -4 } });
 * blanks.map((b) => b.answer[0]); // => [-4, -4, 3, 3, 1, -4, 1, -4]
 */
export function circuitBlanks(spec: CircuitSpec): { circuit: string[]; blanks: Blank[] } {
  const where = { where: 'circuitBlanks' };
  checkObject(where, 'spec', spec);
  if (typeof spec.expression !== 'string')
    fail(where, 'spec.expression', 'the text of an expression', spec.expression, TypeError);
  checkObject(where, 'spec.values', spec.values);
  const expr = parseExpression(spec.expression);
  const e = explainBackward(evaluateExpression(expr, spec.values).output);
  const values = new Map<string, number[]>();
  const exponents = new Map<string, number>();
  for (const n of e.trace.nodes) {
    if (n.value.values !== undefined) values.set(n.id, n.value.values);
    if (n.attrs?.exponent !== undefined) exponents.set(n.id, Number(n.attrs.exponent));
  }
  const named = new Map<string, number[]>(Object.entries(spec.values).map(([k, v]) => [k, [v]]));
  const paths: Paths = new Map();
  for (const s of e.steps) {
    named.set(selfOf(s), values.get(s.id) ?? []);
    for (const i of s.inputs)
      paths.set(i.name, [...(paths.get(i.name) ?? []), { via: selfOf(s), value: i.product }]);
  }
  const ctx: Context = { out: e.output.name, exponents, values: named, paths };
  const blanks: Blank[] = [];
  for (const s of e.steps) {
    if (s.fanOut)
      blanks.push(sumBlank(selfOf(s), s.fanOut.from, s.fanOut.contributions, s.upstream, ctx));
    for (const i of s.inputs) blanks.push(...inputBlanks(s, i, ctx));
  }
  for (const r of e.results)
    if (r.paths !== undefined) {
      const via = (paths.get(r.name) ?? []).map((p) => p.via);
      blanks.push(sumBlank(r.name, via, r.paths, r.gradient, ctx));
    }
  const given = Object.entries(spec.values).map(([k, v]) => `${k} = ${f([v])}`);
  const circuit = [`f = ${formatExpression(expr)}`, `at ${given.join(', ')}`, 'forward:'];
  for (const s of [...e.steps].reverse())
    circuit.push(`  ${s.expression} = ${f(values.get(s.id) ?? [])}`);
  return { circuit, blanks };
}
