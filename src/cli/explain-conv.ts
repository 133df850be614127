/**
 * `nabla explain conv`: the convolution lesson on a tiny example (src/viz/conv.ts) — the forward
 * pass of one small image and kernel, and both gradients by the rules, checked against autograd.
 *
 *   nabla explain conv
 *   nabla explain conv --input 1,2,3,4,5,6,7,8,9 --kernel 1,0,0,-1
 *
 * @module
 */
import { explainConv, explainConvText, type Grid } from '../viz/conv.js';
import { numberFlag, UsageError } from './errors.js';

const FLAGS = ['--input', '--kernel', '--delta'] as const;

/** A comma-separated list of n² numbers as an n×n matrix (row by row). */
function squareFlag(text: string, flag: string): Grid {
  const values = text.split(',').map((v) => numberFlag(v.trim(), flag));
  const n = Math.round(Math.sqrt(values.length));
  if (n * n !== values.length)
    throw new UsageError(
      `${flag} must hold a square number of values (row by row, comma separated), got ${values.length}`,
    );
  return Array.from({ length: n }, (_, i) => values.slice(i * n, (i + 1) * n));
}

/** Prints the convolution lesson for the numbers the flags give (the lecture's example by default). */
export function explainConvCommand(args: readonly string[], log: (line: string) => void): void {
  const given: Record<string, Grid> = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].includes('=') ? args[i].split('=', 2) : [args[i], undefined];
    if (!(FLAGS as readonly string[]).includes(flag))
      throw new UsageError(
        `explain conv takes ${FLAGS.join(', ')} (comma-separated values, row by row), got ${JSON.stringify(args[i])}`,
      );
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    given[flag.slice(2)] = squareFlag(value, flag);
  }
  let e;
  try {
    e = explainConv(given);
  } catch (err) {
    // explainConv's own checks (a kernel larger than the input, δ of the wrong size) as usage errors.
    throw new UsageError((err as Error).message.replace(/^explainConv: /, '--'));
  }
  log(explainConvText(e));
}
