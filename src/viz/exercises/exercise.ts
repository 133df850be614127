/**
 * An exercise: a circuit with blanks that a student fills in, going backwards, and the check of
 * each answer — a tolerance, and for a wrong answer the diagnosis of the mistake behind it.
 * Browser-safe.
 *
 * @module
 */
import { fail } from '../../tensor/check.js';
import { formatNumber } from '../dot.js';

/**
 * The mistakes a wrong answer is diagnosed as: the value of another branch or input, one path
 * where the sum over paths was asked, the node's output (or its derivative at the output) instead
 * of the derivative at its input, the right magnitude with the wrong sign, the upstream or the
 * local gradient alone where their product was asked, a matrix transposed, softmax's p without
 * the target subtracted.
 */
export type Mistake =
  'branch' | 'sum' | 'output' | 'sign' | 'upstream' | 'local' | 'transpose' | 'target';

/** What a blank asks for. */
export type BlankKind = 'local' | 'product' | 'sum' | 'delta' | 'weightGrad';

/** A wrong value a student may give, and what it tells about the mistake. */
export interface Distractor {
  value: number[];
  mistake: Mistake;
  /** The hint for this mistake, naming the values involved. */
  hint: string;
}

/** One blank of an exercise. */
export interface Blank {
  kind: BlankKind;
  /** What is asked, e.g. `∂q1/∂x, the local gradient of q1 = x + y`. */
  prompt: string;
  /** The true value (row-major for a matrix), from nabla's autograd. */
  answer: number[];
  /** Its shape ([] for a number). */
  shape: number[];
  /** The step worked out, shown when the student asks to reveal it. */
  reveal: string;
  /** Wrong values with their hints, the most telling first. */
  distractors: Distractor[];
  /**
   * A copy that teaches nothing new: a local gradient of 1 (an add gate's), or a product by 1 that
   * only repeats the upstream or the local gradient. The key blanks ({@link keyBlanks}) leave it
   * out; it is then given.
   */
  routine?: boolean;
}

/** An exercise: a circuit, the values given, and the blanks in backward order. */
export interface Exercise {
  /** The short string that {@link decodeExercise} turns back into this exercise. */
  code: string;
  title: string;
  /** The circuit and its forward values, as text (one line each). */
  circuit: string[];
  /** Every blank of the circuit, in the order a backward pass meets them. */
  blanks: Blank[];
  /** The indices into `blanks` that the student fills in (the others are given). */
  asked: number[];
}

/**
 * The indices of the blanks that teach something: every blank but the routine copies (see
 * {@link Blank.routine}) — the local gradients of gates other than add, the upstream × local
 * products that are not a copy, the sums at fan-outs, δ and G. All of them when every blank is
 * routine.
 *
 * @example
 * import { keyBlanks, makeExercise } from 'nabla/viz';
 * keyBlanks(makeExercise('add-mul').blanks); // => [0, 2]
 */
export function keyBlanks(blanks: readonly Blank[]): number[] {
  if (!Array.isArray(blanks))
    fail({ where: 'keyBlanks' }, 'blanks', 'the blanks of an exercise', blanks, TypeError);
  const all = blanks.map((_, i) => i);
  const key = all.filter((i) => blanks[i]?.routine !== true);
  return key.length > 0 ? key : all;
}

/** The result of checking one answer. */
export interface Checked {
  correct: boolean;
  /** The diagnosed mistake, when the answer matches one. */
  mistake?: Mistake;
  /** What to tell the student: a confirmation, the specific hint, or a general one. */
  message: string;
}

/** Whether `a` is `b` within the check's tolerance: 1% of |b| plus 1e-6 (about three significant digits). */
export function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.01 * Math.abs(b) + 1e-6;
}

/** Whether every element of `a` is close to the one of `b` (same length). */
export function allClose(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => close(v, b[i]));
}

/** A number or a list of numbers as the explanations print them: `−0.7916`, `[0.1, −2]`. */
export function formatValues(v: readonly number[]): string {
  return v.length === 1 ? formatNumber(v[0]) : `[${v.map((x) => formatNumber(x)).join(', ')}]`;
}

/**
 * The numbers of a typed answer: separated by commas, spaces or semicolons, brackets ignored,
 * `−` read as a minus. Undefined when something is not a number.
 *
 * @example
 * import { parseAnswer } from 'nabla/viz';
 * parseAnswer('[0.5, −2]'); // => [0.5, -2]
 */
export function parseAnswer(text: string): number[] | undefined {
  if (typeof text !== 'string') fail({ where: 'parseAnswer' }, 'text', 'a string', text, TypeError);
  const parts = text
    .replace(/[[\]()]/g, ' ')
    .replace(/−/g, '-')
    .split(/[\s,;]+/)
    .filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  const out = parts.map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

/**
 * Checks an answer to a blank: right within the tolerance of `close`, or the hint of the
 * first distractor it matches, or a general hint. A distractor equal to the true value is never
 * reported.
 *
 * @example
 * import { checkAnswer, type Blank } from 'nabla/viz';
 * const blank: Blank = { kind: 'local', prompt: '∂q/∂x', answer: [2], shape: [], reveal: '', distractors: [{ value: [-2], mistake: 'sign', hint: 'sign' }] };
 * checkAnswer(blank, [-2]).mistake; // => 'sign'
 */
export function checkAnswer(blank: Blank, answer: readonly number[]): Checked {
  const where = { where: 'checkAnswer' };
  const b = blank as Partial<Blank> | null;
  if (b === null || typeof b !== 'object' || !Array.isArray(b.answer) || !Array.isArray(b.shape))
    fail(where, 'blank', 'a blank of an exercise (makeExercise(…).blanks[i])', blank, TypeError);
  if (!Array.isArray(answer) || !answer.every((v) => typeof v === 'number'))
    fail(where, 'answer', 'a list of numbers (parseAnswer reads one)', answer, TypeError);
  const size = blank.answer.length;
  if (answer.length !== size) {
    const what = size === 1 ? 'one number' : `${size} numbers (shape [${blank.shape.join(', ')}])`;
    return { correct: false, message: `expected ${what}, got ${answer.length}` };
  }
  if (allClose(answer, blank.answer)) return { correct: true, message: '✓' };
  for (const d of blank.distractors) {
    if (allClose(d.value, blank.answer)) continue;
    if (allClose(answer, d.value)) return { correct: false, mistake: d.mistake, message: d.hint };
  }
  return {
    correct: false,
    message: 'not quite: that matches no usual mistake; work the step out again',
  };
}
