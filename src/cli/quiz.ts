import { createInterface } from 'node:readline';
import {
  checkAnswer,
  decodeExercise,
  EXERCISES,
  formatValues,
  makeExercise,
  MAX_SIZE,
  parseAnswer,
  type Blank,
  type Exercise,
  type ExerciseSpec,
} from '../viz/exercises/index.js';
import { numberFlag, UsageError } from './errors.js';

/** Wrong answers allowed per blank before its step is revealed. */
const TRIES = 3;

/** The exercise `nabla explain --quiz NAME [--size N] [--seed S]` asks for. */
export function parseQuizArgs(
  args: readonly string[],
  seed = Date.now() % 1_000_000,
): ExerciseSpec {
  let name: string | undefined;
  let size: number | undefined;
  let chosenSeed: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    if (flag === '--quiz') {
      if (inline !== undefined) name = inline;
      else if (args[i + 1] !== undefined && !args[i + 1].startsWith('--')) name = args[++i];
    } else if (flag === '--size' || flag === '--seed') {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      const v = numberFlag(
        value,
        flag,
        flag === '--size' ? { integer: true, min: 1, max: MAX_SIZE } : { integer: true },
      );
      if (flag === '--size') size = v;
      else chosenSeed = v;
    } else {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(a)} for --quiz; e.g. nabla explain --quiz staged, or --quiz random --size 5 --seed 1`,
      );
    }
  }
  const known = `${Object.keys(EXERCISES).join(', ')}, random`;
  if (name === undefined) name = 'add-mul';
  if (name === 'random') return { circuit: 'random', size: size ?? 4, seed: chosenSeed ?? seed };
  if (size !== undefined || chosenSeed !== undefined)
    throw new UsageError(`--size and --seed go with --quiz random (the exercises: ${known})`);
  try {
    return decodeExercise(name);
  } catch (e) {
    throw new UsageError(`--quiz: ${(e as Error).message}`);
  }
}

/** The lines a student types, one at a time (undefined at the end of the input). */
export type Lines = () => Promise<string | undefined>;

/** The lines of standard input, read one by one: a terminal or a pipe. */
function stdinLines(): { next: Lines; close: () => void } {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const it = rl[Symbol.asyncIterator]();
  return {
    next: async () => {
      const r = await it.next();
      return r.done === true ? undefined : r.value;
    },
    close: () => rl.close(),
  };
}

/** How one blank went. */
type Outcome = 'right' | 'retried' | 'revealed' | 'stopped';

/** Asks one blank until it is right, revealed (`?`, or after {@link TRIES} wrong answers) or the input ends. */
async function askBlank(
  blank: Blank,
  next: Lines,
  say: (line: string) => void,
  echo: boolean,
): Promise<Outcome> {
  for (let wrong = 0; ;) {
    const line = await next();
    if (line === undefined) return 'stopped';
    const text = line.trim();
    if (echo) say(`  > ${text}`);
    if (text === '?' || text === 'q') {
      say(`  step: ${blank.reveal}`);
      return text === 'q' ? 'stopped' : 'revealed';
    }
    const answer = parseAnswer(text);
    if (answer === undefined) {
      say('  type a number (or numbers separated by commas), ? to reveal the step, q to stop');
      continue;
    }
    const checked = checkAnswer(blank, answer);
    if (checked.correct) {
      say('  ✓');
      return wrong === 0 ? 'right' : 'retried';
    }
    if (++wrong >= TRIES) {
      say(`  ✗ ${checked.message}`);
      say(`  step: ${blank.reveal}`);
      return 'revealed';
    }
    say(`  ✗ ${checked.message}; try again, or ? to reveal`);
  }
}

/**
 * Runs a quiz: prints the circuit, asks each blank in backward order (the blanks not asked are
 * shown as given), and ends with the score. Returns the number of blanks answered right.
 */
export async function runQuiz(
  exercise: Exercise,
  next: Lines,
  say: (line: string) => void,
  echo = false,
): Promise<number> {
  say(`exercise ${exercise.code}: ${exercise.title}`);
  for (const line of exercise.circuit) say(line);
  say('');
  say('Fill in the backward pass, from the output back (3 significant digits; several numbers');
  say('separated by commas, a matrix row by row). ? reveals a step, q stops.');
  const asked = new Set(exercise.asked);
  const tally = { right: 0, retried: 0, revealed: 0 };
  let k = 0;
  for (const [i, blank] of exercise.blanks.entries()) {
    if (!asked.has(i)) {
      say(`\ngiven: ${blank.prompt} = ${formatValues(blank.answer)}`);
      continue;
    }
    say(`\n[${++k}/${asked.size}] ${blank.prompt}`);
    const outcome = await askBlank(blank, next, say, echo);
    if (outcome === 'stopped') break;
    tally[outcome]++;
  }
  const right = tally.right + tally.retried;
  const unanswered = asked.size - right - tally.revealed;
  const notes = [
    tally.retried > 0 ? `${tally.retried} after a hint` : '',
    tally.revealed > 0 ? `${tally.revealed} revealed` : '',
    unanswered > 0 ? `${unanswered} not answered` : '',
  ].filter((n) => n !== '');
  say(`\nscore: ${right}/${asked.size}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
  return right;
}

/**
 * `nabla explain --quiz [NAME|random] [--size N] [--seed S]`: an exercise in the terminal, the
 * answers read from standard input line by line (a pipe works too).
 */
export async function quizCommand(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<void> {
  const spec = parseQuizArgs(args);
  let exercise: Exercise;
  try {
    exercise = makeExercise(spec);
  } catch (e) {
    throw new UsageError(`--quiz: ${(e as Error).message}`);
  }
  const input = stdinLines();
  try {
    await runQuiz(exercise, input.next, log, process.stdin.isTTY !== true);
  } finally {
    input.close();
  }
}
