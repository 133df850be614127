/**
 * The lectures' layer-level exercises: the sensitivities δ⁽ˡ⁾ = ∂e/∂s⁽ˡ⁾ and the weight gradients
 * G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ of a small network, in column-vector form (s⁽ˡ⁾ = W⁽ˡ⁾o⁽ˡ⁻¹⁾ + b⁽ˡ⁾). The
 * true values are autograd's gradients with respect to s⁽ˡ⁾ and W⁽ˡ⁾.
 *
 * @module
 */
import { gradients } from '../../autograd/engine.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { formatNumber } from '../dot.js';
import { formatValues, type Blank } from './exercise.js';

const leaf = (v: number[][]): Tensor => tensor(v, { dtype: 'float64', requiresGrad: true });
const column = (v: number[]): Tensor =>
  tensor(
    v.map((x) => [x]),
    { dtype: 'float64' },
  );
const values = (t: Tensor): number[] => Array.from(t.data);
const f = formatValues;

/** A matrix [rows × cols] of row-major values as text: `[[0.2, −0.4], [0.7, 0.1]]`. */
function matrix(v: readonly number[], cols: number): string {
  const rows: string[] = [];
  for (let r = 0; r < v.length; r += cols)
    rows.push(
      `[${v
        .slice(r, r + cols)
        .map((x) => formatNumber(x))
        .join(', ')}]`,
    );
  return `[${rows.join(', ')}]`;
}

/** The outer product a·bᵀ, row-major. */
const outer = (a: readonly number[], b: readonly number[]): number[] =>
  a.flatMap((x) => b.map((y) => x * y));
/** Mᵀ·v for M [rows × cols] row-major. */
const transposeTimes = (m: readonly number[], cols: number, v: readonly number[]): number[] =>
  Array.from({ length: cols }, (_, c) => v.reduce((s, x, r) => s + m[r * cols + c] * x, 0));
const times = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x * b[i]);
const neg = (v: readonly number[]): number[] => v.map((x) => -x);
const tanhPrime = (v: readonly number[]): number[] => v.map((x) => 1 - Math.tanh(x) ** 2);

/** The blank of G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ, with its usual mistakes. */
function weightBlank(l: number, G: Tensor, delta: number[], input: number[], s?: number[]): Blank {
  const o = `o⁽${l - 1}⁾`;
  const blank: Blank = {
    kind: 'weightGrad',
    prompt: `G⁽${l}⁾ = ∂e/∂W⁽${l}⁾, ${delta.length}×${input.length}, row by row`,
    answer: values(G),
    shape: [...G.shape],
    reveal: `G⁽${l}⁾ = δ⁽${l}⁾${o}ᵀ = ${f(delta)}·${f(input)}ᵀ = ${matrix(values(G), input.length)}`,
    distractors: [
      {
        value: outer(input, delta),
        mistake: 'transpose',
        hint: `that is ${o}δ⁽${l}⁾ᵀ, transposed: G⁽${l}⁾ = δ⁽${l}⁾${o}ᵀ has W⁽${l}⁾'s shape, one row per unit of layer ${l}`,
      },
      {
        value: neg(values(G)),
        mistake: 'sign',
        hint: `check the sign: G⁽${l}⁾ = δ⁽${l}⁾${o}ᵀ with δ⁽${l}⁾ = ${f(delta)}`,
      },
    ],
  };
  if (s !== undefined)
    blank.distractors.push({
      value: outer(delta, s),
      mistake: 'output',
      hint: `that uses s⁽${l - 1}⁾, the signal before the activation; W⁽${l}⁾ multiplies ${o} = θ(s⁽${l - 1}⁾)`,
    });
  return blank;
}

/** The blank of δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾) for tanh units, with its usual mistakes. */
function deltaBlank(l: number, delta: Tensor, back: number[], s: number[], o: number[]): Blank {
  const local = tanhPrime(s);
  const up = l === 2 ? '∂e/∂o⁽2⁾' : `W⁽${l + 1}⁾ᵀδ⁽${l + 1}⁾`;
  return {
    kind: 'delta',
    prompt: `δ⁽${l}⁾ = ∂e/∂s⁽${l}⁾ (${s.length} number${s.length > 1 ? 's' : ''})`,
    answer: values(delta),
    shape: [s.length],
    reveal: `δ⁽${l}⁾ = ${up} ⊙ θ′(s⁽${l}⁾) = ${f(back)} ⊙ (1 − tanh²(s⁽${l}⁾)) = ${f(back)} ⊙ ${f(local)} = ${f(values(delta))}`,
    distractors: [
      {
        value: back,
        mistake: 'upstream',
        hint: `that is ${up} alone; multiply it element by element by θ′(s⁽${l}⁾) = 1 − tanh²(s⁽${l}⁾) = ${f(local)}`,
      },
      {
        value: local,
        mistake: 'local',
        hint: `that is θ′(s⁽${l}⁾) alone; multiply it by ${up} = ${f(back)}`,
      },
      {
        value: times(back, o),
        mistake: 'output',
        hint: `that multiplies by o⁽${l}⁾ = tanh(s⁽${l}⁾) itself; the local gradient is its derivative 1 − tanh²(s⁽${l}⁾)`,
      },
      {
        value: times(back, tanhPrime(o)),
        mistake: 'output',
        hint: `that evaluates θ′ at the output o⁽${l}⁾; evaluate it at the input signal s⁽${l}⁾ = ${f(s)}`,
      },
      { value: neg(values(delta)), mistake: 'sign', hint: `check the sign of ${up} = ${f(back)}` },
    ],
  };
}

/**
 * A 2-2-1 network of tanh units with the squared error e = (o⁽²⁾ − y)², at x = [0.5, −1], y = 1:
 * blanks δ⁽²⁾, G⁽²⁾, δ⁽¹⁾, G⁽¹⁾.
 *
 * @example
 * networkBlanks().blanks.map((b) => b.shape); // => [[1], [1, 2], [2], [2, 2]]
 */
export function networkBlanks(): { circuit: string[]; blanks: Blank[] } {
  const x = [0.5, -1];
  const y = 1;
  const W1 = leaf([
    [0.2, -0.4],
    [0.7, 0.1],
  ]);
  const b1 = column([0.1, -0.2]);
  const W2 = leaf([[0.6, -0.5]]);
  const b2 = column([0.3]);
  const s1 = W1.matmul(column(x)).add(b1);
  const o1 = s1.tanh();
  const s2 = W2.matmul(o1).add(b2);
  const o2 = s2.tanh();
  const e = o2.sub(y).pow(2).sum();
  const [d2, d1, G2, G1] = gradients(e, [s2, s1, W2, W1]);
  const [vs1, vo1, vs2, vo2] = [s1, o1, s2, o2].map(values);
  const circuit = [
    '2-2-1 network of tanh units, e = (o⁽²⁾ − y)², θ′(s) = 1 − tanh²(s)',
    `o⁽⁰⁾ = x = ${f(x)}, y = ${y}`,
    `W⁽¹⁾ = ${matrix(values(W1), 2)}, b⁽¹⁾ = ${f(values(b1))}`,
    `s⁽¹⁾ = W⁽¹⁾o⁽⁰⁾ + b⁽¹⁾ = ${f(vs1)}, o⁽¹⁾ = tanh(s⁽¹⁾) = ${f(vo1)}`,
    `W⁽²⁾ = ${matrix(values(W2), 2)}, b⁽²⁾ = ${f(values(b2))}`,
    `s⁽²⁾ = W⁽²⁾o⁽¹⁾ + b⁽²⁾ = ${f(vs2)}, o⁽²⁾ = tanh(s⁽²⁾) = ${f(vo2)}, e = ${formatNumber(e.item())}`,
    'backward: δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾), G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ',
  ];
  const dedo = [2 * (vo2[0] - y)];
  const blanks = [
    deltaBlank(2, d2, dedo, vs2, vo2),
    weightBlank(2, G2, values(d2), vo1, vs1),
    deltaBlank(1, d1, transposeTimes(values(W2), 2, values(d2)), vs1, vo1),
    weightBlank(1, G1, values(d1), x),
  ];
  return { circuit, blanks };
}

/**
 * One softmax cross-entropy layer, s = Wx + b, p = softmax(s), L = −log p_y, at x = [1, −2]
 * with 3 classes and y = 2: blanks δ = ∂L/∂s = p − y (one-hot), G = δxᵀ and ∂L/∂x = Wᵀδ.
 *
 * @example
 * softmaxBlanks().blanks.map((b) => b.kind); // => ['delta', 'weightGrad', 'product']
 */
export function softmaxBlanks(): { circuit: string[]; blanks: Blank[] } {
  const label = 2;
  const W = leaf([
    [0.5, -0.3],
    [0.2, 0.4],
    [-0.6, 0.1],
  ]);
  const b = column([0.1, 0, -0.1]);
  const x = tensor([[1], [-2]], { dtype: 'float64', requiresGrad: true });
  const s = W.matmul(x).add(b);
  const logP = s.logSoftmax(0);
  const L = logP.select(0, label).neg().sum();
  const [delta, G, dx] = gradients(L, [s, W, x]);
  const p = values(logP).map(Math.exp);
  const [vx, vd, vW] = [x, delta, W].map(values);
  const onehot = p.map((_, k) => (k === label ? 1 : 0));
  const circuit = [
    'one softmax cross-entropy layer: s = Wx + b, p = softmax(s), L = −log p_y',
    `x = ${f(vx)}, y = ${label} (classes 0, 1, 2; one-hot ${f(onehot)})`,
    `W = ${matrix(vW, 2)}, b = ${f(values(b))}`,
    `s = ${f(values(s))}, p = ${f(p)}, L = ${formatNumber(L.item())}`,
  ];
  const deltaBlank: Blank = {
    kind: 'delta',
    prompt: 'δ = ∂L/∂s (3 numbers)',
    answer: vd,
    shape: [3],
    reveal: `δ = p − y = ${f(p)} − ${f(onehot)} = ${f(vd)}`,
    distractors: [
      {
        value: p,
        mistake: 'target',
        hint: 'that is p alone; subtract the one-hot target: δ = p − y',
      },
      {
        value: p.map((q, k) => (k === label ? -1 / q : 0)),
        mistake: 'upstream',
        hint: 'that is ∂L/∂p, the upstream of the softmax; through the softmax it becomes δ = p − y',
      },
      { value: neg(vd), mistake: 'sign', hint: 'check the sign: δ = p − y, not y − p' },
    ],
  };
  const weight = weightBlank(1, G, vd, vx);
  weight.prompt = 'G = ∂L/∂W, 3×2, row by row';
  weight.reveal = `G = δxᵀ = ${f(vd)}·${f(vx)}ᵀ = ${matrix(values(G), 2)}`;
  weight.distractors.push({
    value: outer(p, vx),
    mistake: 'target',
    hint: 'that is p·xᵀ; use δ = p − y, the target subtracted',
  });
  for (const d of weight.distractors) d.hint = d.hint.replace(/⁽[01]⁾/g, '');
  const input: Blank = {
    kind: 'product',
    prompt: 'what the layer sends back to its input: ∂L/∂x (2 numbers)',
    answer: values(dx),
    shape: [2],
    reveal: `∂L/∂x = Wᵀδ = ${f(values(dx))}`,
    distractors: [
      {
        value: transposeTimes(vW, 2, p),
        mistake: 'target',
        hint: 'that is Wᵀp; use δ = p − y, the target subtracted',
      },
      { value: neg(values(dx)), mistake: 'sign', hint: 'check the sign of δ = p − y' },
    ],
  };
  return { circuit, blanks: [deltaBlank, weight, input] };
}
