// Every TSDoc @example in src/ is type-checked (all in one program) and run, so that the examples
// users copy stay true. See extract.ts for what an example may say.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SEED,
  getBackend,
  manualSeed,
  setBackend,
  setGradEnabled,
} from '../../src/index.js';
import {
  allExamples,
  extractExamples,
  namesInScope,
  PACKAGE_ENTRIES,
  ROOT,
  type Example,
} from './extract.js';
import { writeDataFixtures } from './fixtures.js';
import { Approx, approx, claimHolds, throwsAsSaid, wrapForRun } from './run.js';

const examples = allExamples();

// The compiler runs in a child process while the examples run here (two cores, both busy).
const diagnostics = new Promise<string[]>((resolve, reject) => {
  execFile(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'docs', 'typecheck.ts')],
    { cwd: ROOT, maxBuffer: 64 << 20 },
    (error, stdout, stderr) => {
      if (error) reject(new Error(`the example type-check failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as string[]);
    },
  );
});
diagnostics.catch(() => {}); // reported by its test, not as an unhandled rejection

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

/** The module namespaces the examples' names come from, loaded once. */
const modules = new Map<string, Record<string, unknown>>();
async function load(file: string): Promise<Record<string, unknown>> {
  let module = modules.get(file);
  if (!module) {
    module = (await import(/* @vite-ignore */ join(ROOT, file))) as Record<string, unknown>;
    modules.set(file, module);
  }
  return module;
}

class ClaimError extends Error {}

/** Names that cannot be parameters of a strict-mode function. */
const UNUSABLE = new Set(['default', 'eval', 'arguments']);

/** The names in scope of an example (extract.ts's namesInScope), with their values. */
async function scope(example: Example): Promise<Map<string, unknown>> {
  // Not the Node entry for a browser example: loading it chooses the native backend.
  const entries = example.node ? ['nabla/node'] : ['nabla', 'nabla/viz'];
  const files = [...entries.map((e) => PACKAGE_ENTRIES[e]), example.file].filter((f) =>
    f.endsWith('.ts'),
  );
  const loaded = new Map(await Promise.all(files.map(async (f) => [f, await load(f)] as const)));
  const exports = (file: string): string[] =>
    Object.keys(loaded.get(file) ?? {}).filter(
      (name) => /^[A-Za-z_$][\w$]*$/.test(name) && !UNUSABLE.has(name),
    );
  const names = new Map<string, unknown>();
  for (const [file, inScope] of namesInScope(example, exports)) {
    for (const name of inScope) names.set(name, loaded.get(file)![name]);
  }
  return names;
}

async function run(example: Example): Promise<void> {
  const names = await scope(example);
  const claim = (actual: unknown, expected: unknown, line: number): void => {
    if (!claimHolds(actual, expected)) {
      const plain = (_: string, v: unknown): unknown =>
        v instanceof Approx
          ? v.value
          : typeof v === 'object' && v !== null && 'toArray' in v
            ? (v as { toArray(): unknown }).toArray()
            : ArrayBuffer.isView(v)
              ? Array.from(v as unknown as ArrayLike<number>)
              : v;
      const show = (v: unknown): string => JSON.stringify(v, plain) ?? String(v);
      throw new ClaimError(
        `${example.file}:${line}: the example says ${show(expected)}, got ${show(actual)}`,
      );
    }
  };
  const throws = (statement: () => unknown, said: string, line: number): void => {
    try {
      statement();
    } catch (error) {
      if (throwsAsSaid(error, said)) return;
      throw new ClaimError(`${example.file}:${line}: the example says it ${said}, got ${error}`);
    }
    throw new ClaimError(`${example.file}:${line}: the example says it ${said}, but it did not`);
  };
  const importNode = (specifier: string): Promise<unknown> => {
    const entry = PACKAGE_ENTRIES[specifier];
    if (entry !== undefined) return load(entry);
    if (!specifier.startsWith('node:')) {
      throw new Error(
        `${example.file}:${example.line}: examples import only node: modules and nabla's entries`,
      );
    }
    return import(/* @vite-ignore */ specifier);
  };
  const body = wrapForRun(example);
  const helpers = { __claim: claim, __throws: throws, __import: importNode, __n: approx };
  const fn = new AsyncFunction(...names.keys(), ...Object.keys(helpers), body);
  await fn(...names.values(), ...Object.values(helpers));
}

const cwd = process.cwd();
const scratch: string[] = [];
afterAll(() => {
  process.chdir(cwd);
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('TSDoc @example blocks in src/, and the code blocks of the README and the guides', () => {
  it('are there, and each has code', () => {
    expect(examples.length).toBeGreaterThan(100);
    const markdown = (file: string): number => examples.filter((e) => e.file === file).length;
    expect(markdown('README.md')).toBeGreaterThanOrEqual(6);
    expect(markdown('docs/learner.md')).toBeGreaterThanOrEqual(1);
    expect(markdown('docs/developer.md')).toBeGreaterThanOrEqual(3);
    const empty = examples.filter((example) => example.code.length === 0);
    expect(empty.map((e) => `${e.file}:${e.line}`)).toEqual([]);
  });

  // Each example in a fresh working directory, so files it writes land in a scratch folder.
  it.for(examples.map((example, i) => [`${example.file}:${example.line}`, i] as const))(
    'runs: %s',
    async ([, i], { skip }) => {
      const example = examples[i];
      if (example.notRun !== undefined) skip(`not run: ${example.notRun}`);
      const dir = mkdtempSync(join(tmpdir(), 'nabla-example-'));
      scratch.push(dir);
      process.chdir(dir);
      // Examples that read a downloaded data set find small stand-ins where they look.
      if (example.code.some((row) => row.includes("'data"))) writeDataFixtures(dir);
      manualSeed(DEFAULT_SEED);
      setGradEnabled(true);
      // An example may choose a backend (the README's does): the next one starts on this one.
      const backend = getBackend();
      // Quiet: what an example prints (summaries, progress bars) is not what this test checks.
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        const done = run(example);
        if (example.throws) {
          await expect(done).rejects.toThrow();
          await done.catch((error: unknown) => {
            if (error instanceof ClaimError) throw error;
          });
        } else {
          await done;
        }
      } finally {
        log.mockRestore();
        stderr.mockRestore();
        process.chdir(cwd);
        setBackend(backend);
      }
    },
  );

  // Last, so that the compiler's child process has worked alongside the runs above.
  it('type-check against the package exports (one program for all)', async () => {
    expect(await diagnostics).toEqual([]);
  });
});

/** An example made up here, as if at line 1 of `file`. */
function made(code: string, file = 'src/ops/loss.ts'): Example {
  const [example] = extractExamples(file, `/**\n * @example\n${code.replace(/^/gm, ' * ')}\n */`);
  return example;
}

describe('the example runner', () => {
  it('checks `// =>`, `// ≈` and `// name = value` claims, numbers to their written digits', async () => {
    await run(made('mseLoss(tensor([1, 2]), tensor([1, 4])).item(); // => 2'));
    await run(made('tensor([0.23954]); // => [0.2395], rounded'));
    await run(made('const out = [1, 2.71828];\nout.push(3); // out ≈ [1, 2.718, 3]'));
    await expect(run(made('tensor([1, 2]).sum().item(); // => 4'))).rejects.toThrow(
      /loss\.ts:3: the example says 4, got 3/,
    );
    await expect(run(made('tensor([0.23964]); // => [0.2395]'))).rejects.toThrow(ClaimError);
  });

  it('checks `// throws …` claims against the message', async () => {
    await run(made('tensor([1, 2]).reshape(3); // throws … reshape …'));
    await expect(run(made('tensor([1, 2]).reshape(2); // throws'))).rejects.toThrow(/did not/);
    await expect(run(made('tensor([1, 2]).reshape(3); // RangeError: sum …'))).rejects.toThrow(
      ClaimError,
    );
  });

  it('gives a browser example the names of nabla/viz only when it imports them', async () => {
    const viz = "import { formatSum } from 'nabla/viz';";
    await run(made(`${viz}\nformatSum(['1', '2']); // => '1 + 2'`, 'src/viz/dot.ts'));
    await expect(run(made("formatSum(['1', '2']);", 'src/viz/dot.ts'))).rejects.toThrow(
      /formatSum is not defined/,
    );
  });

  it('leaves prose comments alone', async () => {
    await run(made('// => not a claim on a line of its own\ntensor([1]); // a 1-element tensor'));
  });
});
