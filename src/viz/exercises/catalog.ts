/**
 * The exercises by name — the lectures' circuits and random ones — and their short codes for
 * sharing: `staged`, `staged:0-3,7` (only blanks 0 to 3 and 7 asked), `staged:key` (the blanks
 * that teach something, {@link keyBlanks}), `random-5-42` (5 gates, seed 42).
 *
 * @module
 */
import { checkObject, fail } from '../../tensor/check.js';
import { circuitBlanks } from './circuit.js';
import { keyBlanks, type Blank, type Exercise } from './exercise.js';
import { networkBlanks, softmaxBlanks } from './network.js';
import { MAX_SIZE, randomCircuit } from './random.js';

/** The built-in exercises: a title and how to make the circuit and its blanks. */
export const EXERCISES: Readonly<
  Record<string, { title: string; make: () => { circuit: string[]; blanks: Blank[] } }>
> = {
  'add-mul': {
    title: 'f = (x + y)·z',
    make: () => circuitBlanks({ expression: '(x + y) * z', values: { x: -2, y: 5, z: -4 } }),
  },
  neuron: {
    title: 'a sigmoid neuron σ(w·x + b), w = [2, −3], b = −3, x = [−1, −2]',
    make: () =>
      circuitBlanks({
        expression: 'sigmoid(w0 * x0 + w1 * x1 + w2)',
        values: { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 },
      }),
  },
  staged: {
    title: "CS231n's staged example f = (x + σ(y)) / (σ(x) + (x + y)²)",
    make: () =>
      circuitBlanks({
        expression: '(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)',
        values: { x: 3, y: -4 },
      }),
  },
  'net-2-2-1': { title: 'a 2-2-1 network: δ⁽ˡ⁾ and G⁽ˡ⁾', make: networkBlanks },
  softmax: { title: 'one softmax cross-entropy layer: δ, G and ∂L/∂x', make: softmaxBlanks },
};

/** What an exercise code says: a built-in circuit or a random one, and which blanks are asked. */
export interface ExerciseSpec {
  /** A name of {@link EXERCISES}, or `random`. */
  circuit: string;
  /** For `random`: the number of gates (1 to 12) and the seed. */
  size?: number;
  seed?: number;
  /** The indices of the blanks asked, or `'key'` for {@link keyBlanks}; all when absent. */
  asked?: number[] | 'key';
}

/** Refuses a spec that is not an object with a `circuit` name (its values are checked when used). */
function checkSpec(where: string, spec: unknown): void {
  const s = checkObject({ where }, 'spec', spec);
  if (typeof s.circuit !== 'string')
    fail({ where }, 'spec.circuit', 'the name of an exercise or "random"', s.circuit, TypeError);
  if (s.asked !== undefined && s.asked !== 'key' && !Array.isArray(s.asked))
    fail({ where }, 'spec.asked', 'a list of blank indices or "key"', s.asked, TypeError);
}

/** Indices as ranges: [0, 1, 2, 3, 7] → `0-3,7`. */
function ranges(list: readonly number[]): string {
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j;
  }
  return parts.join(',');
}

/**
 * The short, URL-safe code of an exercise.
 *
 * @example
 * import { encodeExercise } from 'nabla/viz';
 * encodeExercise({ circuit: 'random', size: 5, seed: 42, asked: [0, 1, 2, 7] }); // => 'random-5-42:0-2,7'
 */
export function encodeExercise(spec: ExerciseSpec): string {
  checkSpec('encodeExercise', spec);
  const head =
    spec.circuit === 'random' ? `random-${spec.size ?? 4}-${spec.seed ?? 1}` : spec.circuit;
  if (spec.asked === undefined) return head;
  return `${head}:${spec.asked === 'key' ? 'key' : ranges(spec.asked)}`;
}

const bad = (code: string, why: string): Error =>
  new RangeError(`exercise code ${JSON.stringify(code)}: ${why}`);

/** The indices of `0-3,7`. */
function parseRanges(code: string, text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null)
      throw bad(code, `blanks must be "key", or indices or ranges like 0-3,7, got "${part}"`);
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    for (let k = a; k <= b && k - a <= 1000; k++) out.push(k);
  }
  return out;
}

/**
 * The spec of an exercise code (the inverse of {@link encodeExercise}).
 *
 * @throws {RangeError} for an unknown circuit, a bad size or seed, or bad blank indices.
 *
 * @example
 * import { decodeExercise } from 'nabla/viz';
 * decodeExercise('staged:0-2'); // => { circuit: 'staged', asked: [0, 1, 2] }
 */
export function decodeExercise(code: string): ExerciseSpec {
  if (typeof code !== 'string')
    fail(
      { where: 'decodeExercise' },
      'code',
      'an exercise code such as "staged:0-3"',
      code,
      TypeError,
    );
  const [head, blanks, ...rest] = code.split(':');
  if (rest.length > 0) throw bad(code, 'at most one ":"');
  const spec: ExerciseSpec = { circuit: head };
  const random = /^random-(\d+)-(-?\d+)$/.exec(head);
  if (random !== null) {
    spec.circuit = 'random';
    spec.size = Number(random[1]);
    spec.seed = Number(random[2]);
    if (spec.size < 1 || spec.size > MAX_SIZE)
      throw bad(code, `the size must be from 1 to ${MAX_SIZE}`);
    if (!Number.isSafeInteger(spec.seed)) throw bad(code, 'the seed is too large');
  } else if (!Object.hasOwn(EXERCISES, head)) {
    throw bad(
      code,
      `unknown circuit; known: ${Object.keys(EXERCISES).join(', ')}, random-SIZE-SEED`,
    );
  }
  if (blanks !== undefined) spec.asked = blanks === 'key' ? 'key' : parseRanges(code, blanks);
  return spec;
}

/**
 * The exercise of a spec or code: its circuit, every blank (with the true values from autograd)
 * and the blanks asked.
 *
 * @throws {RangeError} for a bad code, or blank indices past the last blank.
 *
 * @example
 * import { makeExercise } from 'nabla/viz';
 * makeExercise('add-mul').blanks.length; // => 8
 */
export function makeExercise(spec: ExerciseSpec | string): Exercise {
  if (typeof spec !== 'string') checkSpec('makeExercise', spec);
  const s = typeof spec === 'string' ? decodeExercise(spec) : spec;
  const code = encodeExercise(s);
  if (s.circuit !== 'random' && !Object.hasOwn(EXERCISES, s.circuit)) decodeExercise(code);
  const built =
    s.circuit === 'random'
      ? circuitBlanks(randomCircuit(s.size ?? 4, s.seed ?? 1))
      : EXERCISES[s.circuit].make();
  const title =
    s.circuit === 'random'
      ? `a random circuit of ${s.size ?? 4} gates (seed ${s.seed ?? 1})`
      : EXERCISES[s.circuit].title;
  const asked =
    s.asked === 'key' ? keyBlanks(built.blanks) : (s.asked ?? built.blanks.map((_, i) => i));
  const past = asked.find((i) => i >= built.blanks.length);
  if (past !== undefined)
    throw bad(code, `blank ${past} does not exist (there are ${built.blanks.length}, from 0)`);
  return { code, title, circuit: built.circuit, blanks: built.blanks, asked };
}
