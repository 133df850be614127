import { afterAll, describe, expect, it } from 'vitest';
import * as nabla from '../src/index.js';
import * as nablaNode from '../src/node.js';
import * as nablaOnnx from '../src/onnx.js';
import * as nablaViz from '../src/viz.js';

/**
 * Every public function and class, called with arguments of the wrong sort, either works or
 * refuses them with an Error that names the function (or the file it reads) and says what it got:
 * never a crash from inside the library ("f is not a function", "Cannot read properties of
 * undefined", "axes is not iterable") and never a change of global state that breaks later calls.
 */

/** Messages that betray a crash inside the library rather than a refusal of the arguments. */
const INTERNAL =
  /Cannot read propert|Cannot convert|is not a function|is not iterable|is not a constructor|Invalid typed array length|Invalid array length|Array buffer allocation failed|Maximum call stack|Invalid string length|Offset is outside the bounds|Cannot destructure|Cannot use 'in' operator|Cannot create property|^undefined\b/;

/** Exports whose messages name something else than the export: an alias, or the file read. */
const NAMES: Record<string, readonly string[]> = {
  cast: ['to'],
  cat: ['concat'],
  decodeCheckpoint: ['checkpoint'],
  decodeSafetensors: ['safetensors'],
  deserializeModel: ['model.json', 'model.safetensors'],
  parseModelDescription: ['model.json'],
};

/** Exports that change global state on purpose; each is probed on its own below. */
const GLOBAL = new Set([
  'registerBackend',
  'setBackend',
  'manualSeed',
  'setGradEnabled',
  'registerModuleClass',
  'registerModuleType',
]);

const fn = (): number => 1;
const BAD: readonly unknown[] = [42, 'x', {}, null, undefined, [1, 'a'], fn, -1, Number.NaN];
const show = (v: unknown): string =>
  typeof v === 'function'
    ? 'a function'
    : v instanceof nabla.Tensor
      ? 'tensor'
      : v === undefined
        ? 'undefined'
        : JSON.stringify(v);

type Call = { name: string; args: unknown[] };

/** The argument lists tried for one export: each bad value alone, and after a valid tensor. */
function calls(name: string): Call[] {
  const t = nabla.tensor([1, 2, 3]);
  return BAD.flatMap((b) => [
    { name, args: [b] },
    { name, args: [t, b] },
  ]);
}

/** Calls `name` with `args` (with `new` for a class), awaiting a promise it returns. */
async function invoke(
  exports: Record<string, unknown>,
  { name, args }: Call,
): Promise<Error | undefined> {
  const f = exports[name] as (...a: unknown[]) => unknown;
  try {
    const isClass = /^[A-Z]/.test(name) && /^class\b/.test(Function.prototype.toString.call(f));
    const result = isClass
      ? new (f as unknown as new (...a: unknown[]) => unknown)(...args)
      : f(...args);
    if (result instanceof Promise) await result;
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

/** What is wrong with the way `call` failed, or undefined when it failed cleanly. */
function problem(call: Call, e: Error | undefined): string | undefined {
  if (e === undefined) return undefined;
  const where = `${call.name}(${call.args.map(show).join(', ')})`;
  if (!(e instanceof Error)) return `${where} threw a non-Error: ${String(e)}`;
  if (INTERNAL.test(e.message)) return `${where}: internal crash: ${e.message}`;
  // A file reader may name the path it was given instead of itself.
  const paths = call.args.filter((a): a is string => typeof a === 'string');
  const names = [call.name, ...(NAMES[call.name] ?? []), ...paths];
  if (!names.some((n) => e.message.includes(n)))
    return `${where}: the message names neither ${names.join(' nor ')}: ${e.message}`;
  return undefined;
}

const functions = (exports: Record<string, unknown>): string[] =>
  Object.keys(exports).filter((k) => typeof exports[k] === 'function' && !GLOBAL.has(k));

describe('misused public API', () => {
  let probed = 0;
  afterAll(() => console.log(`api misuse: ${probed} calls probed`));

  // Each entry's own functions: nabla/node re-exports the other three, probed under their names.
  const entries = [
    ['nabla', nabla],
    ['nabla/viz', nablaViz],
    ['nabla/onnx', nablaOnnx],
    ['nabla/node', nablaNode],
  ] as const;
  entries.forEach(([entry, exports], i) => {
    it(`every function of ${entry} refuses wrong arguments by name`, async () => {
      const found: string[] = [];
      const own = (k: string): boolean => entries.slice(0, i).every(([, before]) => !(k in before));
      const names = functions(exports as Record<string, unknown>).filter(own);
      expect(names.length).toBeGreaterThan(entry === 'nabla/onnx' ? 1 : 10);
      for (const name of names) {
        for (const call of calls(name)) {
          probed++;
          const p = problem(call, await invoke(exports as Record<string, unknown>, call));
          if (p !== undefined) found.push(p);
        }
      }
      const culprits = [...new Set(found.map((f) => f.slice(0, f.indexOf('('))))];
      expect(found.slice(0, 40), `${found.length} bad refusals by ${culprits.join(', ')}`).toEqual(
        [],
      );
    }, 120_000);
  });

  it('the backend still computes after the probes', () => {
    expect(nabla.tensor([1, 2]).sub(1).tanh().sum().item()).toBeCloseTo(Math.tanh(1), 6);
  });

  it('functions that change global state refuse wrong arguments and keep the state', async () => {
    const found: string[] = [];
    const backend = nabla.getBackend();
    for (const name of GLOBAL) {
      for (const call of calls(name)) {
        const p = problem(call, await invoke(nabla as Record<string, unknown>, call));
        if (p !== undefined) found.push(p);
      }
    }
    expect(found.slice(0, 40), `${found.length} bad refusals`).toEqual([]);
    expect(nabla.getBackend()).toBe(backend);
    expect(nabla.isGradEnabled()).toBe(true);
    expect(nabla.tensor([1, 2]).sub(1).tanh().sum().item()).toBeCloseTo(Math.tanh(1), 6);
  });
});
