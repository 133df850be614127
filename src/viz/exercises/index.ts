/**
 * Exercises that check the student: a circuit from the lectures (or a random one) with blanks for
 * the local gradients, the upstream × local products and the sums at fan-outs — or for δ⁽ˡ⁾ and
 * G⁽ˡ⁾ of a network — each answer checked against autograd, a wrong one diagnosed. Browser-safe.
 *
 * @module
 */
export {
  checkAnswer,
  keyBlanks,
  parseAnswer,
  formatValues,
  type Blank,
  type BlankKind,
  type Checked,
  type Distractor,
  type Exercise,
  type Mistake,
} from './exercise.js';
export { circuitBlanks, type CircuitSpec } from './circuit.js';
export { networkBlanks, softmaxBlanks } from './network.js';
export { randomCircuit, MAX_SIZE } from './random.js';
export {
  EXERCISES,
  decodeExercise,
  encodeExercise,
  makeExercise,
  type ExerciseSpec,
} from './catalog.js';
