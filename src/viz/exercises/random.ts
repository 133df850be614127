/**
 * Random scalar circuits for practice, reproducible from a seed: a chain of gates (+, −, ·, σ,
 * tanh, ^2) over a few variables, each binary gate taking a variable as its other input, so that
 * variables fan out and their gradients add.
 *
 * @module
 */
import { Generator } from '../../tensor/random.js';
import { parseExpression, variables } from '../expression.js';
import { circuitBlanks, type CircuitSpec } from './circuit.js';

/** The largest number of gates of a random circuit. */
export const MAX_SIZE = 12;

const VARIABLES = ['x', 'y', 'z'];
const GATES = ['+', '-', '*', '*', 'sigmoid', 'tanh', '^2'] as const;
const VALUES = [-3, -2, -1, 1, 2, 3];

/**
 * A random circuit of `size` gates (1 to `MAX_SIZE`) from `seed`: the same seed and size
 * always give the same circuit and values. Circuits whose gradients vanish or explode are drawn
 * again.
 *
 * @example
 * import { randomCircuit } from 'nabla/viz';
 * randomCircuit(3, 7).expression === randomCircuit(3, 7).expression; // => true
 */
export function randomCircuit(size: number, seed: number): CircuitSpec {
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE)
    throw new RangeError(
      `randomCircuit: size must be an integer from 1 to ${MAX_SIZE}, got ${String(size)}`,
    );
  const g = new Generator(seed);
  let spec = draw(g, size);
  for (let attempt = 1; attempt < 200 && !teachable(spec); attempt++) spec = draw(g, size);
  return spec;
}

/**
 * Whether every blank of the circuit has a value a person can work with: between 0.001 and 1000
 * in magnitude (no saturated σ or tanh whose gradients vanish, no squares that explode).
 */
function teachable(spec: CircuitSpec): boolean {
  return circuitBlanks(spec).blanks.every((b) =>
    b.answer.every((v) => Math.abs(v) >= 1e-3 && Math.abs(v) <= 1e3),
  );
}

/** One random circuit of `size` gates, drawn from `g`. */
function draw(g: Generator, size: number): CircuitSpec {
  const pick = <T>(list: readonly T[]): T => list[g.uniformInt(list.length)];
  const names = VARIABLES.slice(0, Math.min(VARIABLES.length, 1 + Math.ceil(size / 2)));
  let text = pick(names);
  let last = '';
  for (let k = 0; k < size; k++) {
    let gate = pick(GATES);
    // No gate twice in a row on one input: σ(σ(…)) and (…^2)^2 teach nothing new.
    while (gate === last && (gate === 'sigmoid' || gate === 'tanh' || gate === '^2'))
      gate = pick(GATES);
    last = gate;
    if (gate === 'sigmoid' || gate === 'tanh') text = `${gate}(${text})`;
    else if (gate === '^2') text = `(${text})^2`;
    else {
      const other = pick(names);
      text = g.uniformInt(2) === 0 ? `(${text}) ${gate} ${other}` : `${other} ${gate} (${text})`;
    }
  }
  const drawn = names.map(() => pick(VALUES));
  const used = variables(parseExpression(text));
  const values: Record<string, number> = {};
  for (const n of used) values[n] = drawn[names.indexOf(n)];
  return { expression: text, values };
}
