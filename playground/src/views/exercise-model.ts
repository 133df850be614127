/**
 * The exercise mode without the DOM (the tests run it in Node): a session that asks an exercise's
 * blanks in backward order, checks each answer with the library's checkAnswer, reveals one step
 * at a time and keeps the score; and, for a scalar circuit, its explanation (nabla's own backward
 * pass) with the place in the picture where each blank's value is drawn.
 */
import {
  checkAnswer,
  decodeExercise,
  evaluateExpression,
  explainBackward,
  makeExercise,
  parseAnswer,
  parseExpression,
  randomCircuit,
  type Exercise,
  type Explanation,
} from 'nabla/viz';

/** How one asked blank went: right at once, right after a hint, or revealed. */
export type Outcome = 'right' | 'retried' | 'revealed';

/** What the page says about one answer. */
export interface Said {
  correct: boolean;
  message: string;
}

/**
 * The code of an exercise, made canonical (`staged:3,0-2` → `staged:0-3`); throws what was
 * expected when it names no exercise or a blank it does not have.
 */
export function readExerciseCode(text: string): string {
  try {
    return makeExercise(text).code;
  } catch (e) {
    throw new Error(
      `an exercise code such as add-mul, staged:0-3 or random-5-42 (${(e as Error).message})`,
    );
  }
}

/** One student's way through one exercise. */
export class ExerciseSession {
  readonly exercise: Exercise;
  /** The outcome of each asked blank answered or revealed so far, by blank index. */
  readonly outcomes = new Map<number, Outcome>();
  /** The text the student typed for each answered blank, by blank index. */
  readonly answers = new Map<number, string>();
  /** The position in `exercise.asked` of the blank being asked (asked.length when done). */
  position = 0;
  private wrong = 0;

  constructor(code: string) {
    this.exercise = makeExercise(code);
  }

  /** The index of the blank being asked, or undefined when every asked blank is done. */
  get current(): number | undefined {
    return this.exercise.asked[this.position];
  }

  get done(): boolean {
    return this.position >= this.exercise.asked.length;
  }

  /** Wrong answers to the current blank so far. */
  get tries(): number {
    return this.wrong;
  }

  /** Whether the student sees blank `i`'s value: given (not asked), answered or revealed. */
  known(i: number): boolean {
    return this.outcomes.has(i) || !this.exercise.asked.includes(i);
  }

  /** Checks `text` as the answer to the current blank; a right one moves on. */
  answer(text: string): Said {
    const i = this.current;
    if (i === undefined) return { correct: false, message: 'every blank is done' };
    const values = parseAnswer(text);
    if (values === undefined)
      return {
        correct: false,
        message: 'type a number (or numbers separated by commas, a matrix row by row)',
      };
    const checked = checkAnswer(this.exercise.blanks[i], values);
    if (!checked.correct) {
      this.wrong++;
      return { correct: false, message: checked.message };
    }
    this.outcomes.set(i, this.wrong === 0 ? 'right' : 'retried');
    this.answers.set(i, text.trim());
    this.next();
    return { correct: true, message: checked.message };
  }

  /** Reveals the current blank's step (it counts as revealed) and moves on; returns the step. */
  reveal(): string | undefined {
    const i = this.current;
    if (i === undefined) return undefined;
    this.outcomes.set(i, 'revealed');
    this.next();
    return this.exercise.blanks[i].reveal;
  }

  private next(): void {
    this.position++;
    this.wrong = 0;
  }

  /** The score as the terminal's quiz says it: `score: 3/8 (1 after a hint, 2 revealed)`. */
  score(): { right: number; asked: number; text: string } {
    const count = (o: Outcome): number => [...this.outcomes.values()].filter((v) => v === o).length;
    const [right, retried, revealed] = [count('right'), count('retried'), count('revealed')];
    const asked = this.exercise.asked.length;
    const open = asked - this.outcomes.size;
    const notes = [
      retried > 0 ? `${retried} after a hint` : '',
      revealed > 0 ? `${revealed} revealed` : '',
      open > 0 ? `${open} to go` : '',
    ].filter((n) => n !== '');
    const total = right + retried;
    return {
      right: total,
      asked,
      text: `score: ${total}/${asked}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`,
    };
  }
}

/**
 * The scalar circuit of an exercise, explained by nabla's backward pass: a random one from its
 * size and seed, a built-in one from its circuit's first two lines (`f = …`, `at x = 3, y = −4`).
 * Undefined for the layer-level exercises (a network, a softmax layer), which have no circuit.
 */
export function explainExercise(exercise: Exercise): Explanation | undefined {
  const spec = decodeExercise(exercise.code);
  let expression: string;
  let values: Record<string, number>;
  if (spec.circuit === 'random') {
    ({ expression, values } = randomCircuit(spec.size ?? 4, spec.seed ?? 1));
  } else {
    const [head, at] = exercise.circuit;
    if (!head.startsWith('f = ') || !at?.startsWith('at ')) return undefined;
    expression = head.slice(4);
    values = {};
    for (const pair of at.slice(3).split(', ')) {
      const [name, value] = pair.split(' = ');
      values[name] = Number(value.replace('−', '-'));
    }
  }
  return explainBackward(evaluateExpression(parseExpression(expression), values).output);
}

/**
 * Where each blank's value is drawn in the circuit picture (toDot's ids): `from->to` for what a
 * gate sends back to an input (the red label on that wire), the node's id for a sum over paths
 * (the red label on the fanned-out value), undefined for a local gradient (not drawn). The order
 * is circuitBlanks' (at each gate: the sum at its fan-out, then each input's local and product;
 * last the inputs' sums); if it does not match the exercise's blanks, undefined.
 */
export function blankPlaces(
  e: Explanation,
  exercise: Exercise,
): (string | undefined)[] | undefined {
  const places: { place: string | undefined; value: number[] }[] = [];
  for (const s of e.steps) {
    if (s.fanOut !== undefined) places.push({ place: s.id, value: s.upstream });
    for (const i of s.inputs)
      places.push(
        { place: undefined, value: i.local },
        { place: `${i.id}->${s.id}`, value: i.product },
      );
  }
  for (const r of e.results)
    if (r.paths !== undefined) places.push({ place: r.id, value: r.gradient });
  const blanks = exercise.blanks;
  const same = (a: readonly number[], b: readonly number[]): boolean =>
    a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) <= 1e-9 * (1 + Math.abs(v)));
  if (places.length !== blanks.length || places.some((p, k) => !same(p.value, blanks[k].answer)))
    return undefined;
  return places.map((p) => p.place);
}
