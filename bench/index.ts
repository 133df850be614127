/**
 * Runs the benchmarks, each in a fresh Node process so that one cannot warm up, pretenure or
 * fill the heap for the next: `npm run bench` runs all of them but `compare`, `cnn` and `browser`
 * (the side-by-side runs with the peers, minutes long), `npm run bench -- matmul` (or several
 * names) runs those only; options after the names go to each benchmark run (`npm run bench -- compare --rounds 1`). Node
 * flags given to this script (for example
 * `node --max-semi-space-size=64 --import tsx bench/index.ts`) are passed on to every benchmark,
 * with `--expose-gc` added so that repetitions start from a collected heap.
 *
 * Each benchmark prints a table and writes bench/results/<name>.json. These are measurements,
 * never tests: the exit code is non-zero only when a benchmark crashes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = {
  'scalar-chain': 'build + backward of N = 1e4…1e6 scalar ops, ns per op, and the 2 s bar at 1e6',
  'op-overhead': 'ns per call of tiny ops with and without graph recording, and a 2-4-1 MLP step',
  matmul: 'GFLOP/s of square matmul, float32 128…1024 and float64 256, 512',
  trace: 'trace() and DOT export of a graph of 10⁵ operations (bar: about a second)',
  training: 'steps/s of the tiny 2-16-16-2 tanh network (bar: 10,000) and MNIST epoch time',
  soak: 'heap and RSS every 1,000 of 20,000 training steps (hand loop, fit) and an MLP: flat?',
  playground: 'steps/s of the playground’s worker in headless Chromium while the page draws',
  compare:
    'side by side with TF.js (cpu, wasm), jax-js and PyTorch in rotated rounds: GEMM, MLP, tiny net (≈ 15 min)',
  cnn: 'LeNet-5 and a CIFAR-sized CNN beside PyTorch and TF.js, interleaved rounds (≈ 5 min)',
  browser:
    'in headless Chromium beside TF.js (wasm, webgl, cpu) and jax-js: GEMM, MLP, tiny, LeNet-5, bundle size (≈ 15 min)',
} as const;

type Name = keyof typeof BENCHMARKS;
const NAMES = Object.keys(BENCHMARKS) as Name[];

function usage(): string {
  return [
    'usage: npm run bench [-- <name> ...]',
    '',
    ...NAMES.map((n) => `  ${n.padEnd(14)} ${BENCHMARKS[n]}`),
    '',
    'Results: bench/results/<name>.json. See bench/README.md.',
  ].join('\n');
}

/**
 * The benchmark names and the options passed on to them (`compare --rounds 1`): an argument
 * starting with `--`, and the one after it unless that is a name or another option.
 */
function splitArgs(args: readonly string[]): { names: string[]; options: string[] } {
  const names: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      names.push(a);
      continue;
    }
    options.push(a);
    const next = args[i + 1];
    const isValue =
      next !== undefined && !next.startsWith('-') && !(NAMES as string[]).includes(next);
    if (!a.includes('=') && isValue) options.push(args[++i]);
  }
  return { names, options };
}

function main(args: readonly string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return 0;
  }
  const { names, options } = splitArgs(args);
  const unknown = names.filter((a) => !(NAMES as string[]).includes(a));
  if (unknown.length > 0) {
    console.error(
      `bench: no benchmark named ${unknown.map((u) => JSON.stringify(u)).join(', ')}\n\n${usage()}`,
    );
    return 2;
  }
  // `compare`, `cnn` and `browser` install the peers and take minutes: they run only when named.
  const onlyNamed: readonly string[] = ['compare', 'cnn', 'browser'];
  const selected =
    names.length > 0
      ? NAMES.filter((n) => names.includes(n))
      : NAMES.filter((n) => !onlyNamed.includes(n));
  const flags = process.execArgv.includes('--expose-gc')
    ? [...process.execArgv]
    : ['--expose-gc', ...process.execArgv];
  // The children load TypeScript the way this script was loaded (node --import tsx).
  if (!flags.some((f) => f === 'tsx' || f.startsWith('--import=tsx')))
    flags.push('--import', 'tsx');
  const failed: string[] = [];
  const started = performance.now();
  for (const name of selected) {
    const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
    const t0 = performance.now();
    const child = spawnSync(process.execPath, [...flags, file, ...options], { stdio: 'inherit' });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (child.status !== 0) {
      const why =
        child.error?.message ??
        (child.signal !== null ? `signal ${child.signal}` : `exit code ${child.status}`);
      console.error(`bench: ${name} failed after ${seconds} s (${why})`);
      failed.push(name);
    } else {
      console.log(`(${name}: ${seconds} s)`);
    }
  }
  console.log(
    `\nbench: ${selected.length - failed.length}/${selected.length} done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
