/**
 * Shared helpers of the fuzz tests of nabla's file readers (`*-fuzz.test.ts`).
 *
 * Every reader, given any input, must either load it or refuse it with an Error whose message
 * names the file (or source) and the problem: never a crash from inside the engine (a TypeError
 * such as "Cannot read properties of undefined", a RangeError such as "Invalid typed array
 * length" or a stack overflow), never a hang, never an allocation larger than the file justifies.
 * fast-check prints the seed and the shrunk counterexample when a property fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, vi } from 'vitest';

/** The seed of every fuzz property, so that a failure can be replayed. */
export const SEED = 7_031_991;

/**
 * How many times the cases CI runs the fuzz suites run: `NABLA_FUZZ_SCALE` (default 1; 10 for a
 * stress run, as issue 12's bars ask). Anything but a number above 0 is refused.
 */
export const SCALE = fuzzScale(process.env.NABLA_FUZZ_SCALE);

function fuzzScale(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(`NABLA_FUZZ_SCALE must be a number above 0, got ${JSON.stringify(value)}`);
  return scale;
}

/** fast-check's parameters for a property CI runs `n` times: the seed, and `n` × SCALE runs. */
export function runs<T extends object>(n: number, more?: T): { seed: number; numRuns: number } & T {
  return { seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)), ...(more as T) };
}

/** The usual number of runs of a property (300 in CI). */
export const RUNS = runs(300);

// A stress run gives each test SCALE times vitest's 60 s; CI keeps the configured limit.
if (SCALE > 1) vi.setConfig({ testTimeout: Math.round(60_000 * SCALE) });

/**
 * The longest one case may take: a reader that is linear in its input finishes far sooner (a few
 * milliseconds for the small inputs of most cases). Enormous inputs get {@link ENORMOUS_MS}.
 */
export const CASE_MS = 5000;
export const ENORMOUS_MS = 20_000;

/** Messages that betray a crash inside the engine rather than a refusal of the input. */
const INTERNAL =
  /Cannot read propert|Cannot convert|is not a function|is not iterable|is not a constructor|Invalid typed array length|Invalid array length|Array buffer allocation failed|Maximum call stack|out of memory|Invalid string length|Offset is outside the bounds/i;

/** How many cases each reader's fuzz tests ran (reported by the suites, for the bar). */
export class CaseCounter {
  private n = 0;
  add(k = 1): void {
    this.n += k;
  }
  get count(): number {
    return this.n;
  }
}

/**
 * The shared setup of one reader's fuzz suite: the counter of its cases, printed after the suite
 * as `<reader>: N fuzz cases`, and a temporary folder for its files, removed after it.
 */
export function fuzzSuite(reader: string): { cases: CaseCounter; dir: string } {
  const cases = new CaseCounter();
  const dir = mkdtempSync(join(tmpdir(), 'nabla-fuzz-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    console.log(`${reader}: ${cases.count} fuzz cases`);
  });
  return { cases, dir };
}

/**
 * Runs `load`, returning its result or the Error it refused the input with. Fails the test when
 * it throws something else, an Error whose message names none of `sources` or reads like an
 * internal crash, or when it takes longer than `ms`.
 */
export function loadsOrFailsCleanly<T>(
  load: () => T,
  sources: string | readonly string[],
  counter?: CaseCounter,
  ms = CASE_MS,
): T | Error {
  counter?.add();
  const names = typeof sources === 'string' ? [sources] : sources;
  const started = performance.now();
  let result: T | Error;
  try {
    result = load();
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`threw a non-Error: ${String(e)}`, { cause: e });
    if (!names.some((s) => e.message.includes(s)) || INTERNAL.test(e.message)) {
      throw new Error(`failed badly (${e.name}): ${e.message}`, { cause: e });
    }
    result = e;
  }
  const took = performance.now() - started;
  expect(took, 'one case took too long').toBeLessThan(ms);
  return result;
}

/** `n` as 8 little-endian bytes. */
export const u64 = (n: number | bigint): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
};

/** The parts one after another. */
export const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A copy of `bytes` with bit `bit` (counted from the first byte's lowest bit) flipped. */
export const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const copy = bytes.slice();
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
};

/** `depth` nested JSON arrays (or objects) around `1`, closed or left open. */
export const nestedJson = (depth: number, opener: '[' | '{"a":', close = true): string =>
  opener.repeat(depth) + '1' + (close ? (opener === '[' ? ']' : '}').repeat(depth) : '');
