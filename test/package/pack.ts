/**
 * The consumer-project test's steps: pack nabla as npm would publish it, install the tarball into
 * a fresh project, and run commands there. See consumer.test.ts for what is checked.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command; its stdout, or an error holding its stdout and stderr. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): string {
  const options: ExecFileSyncOptions = {
    cwd,
    env: { ...process.env, ...env, npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    stdio: 'pipe',
    maxBuffer: 64 << 20,
  };
  try {
    return execFileSync(command, args, options) as string;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

export const npm = (args: string[], cwd: string, env?: NodeJS.ProcessEnv): string =>
  run(NPM, args, cwd, env);

/**
 * The file name prebuildify gives the addon on this machine (`npm run native:prebuild`):
 * prebuilds/<platform>-<arch>/nabla[.glibc].node.
 */
function prebuiltName(): string {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  const libc = report.header?.glibcVersionRuntime === undefined ? '' : '.glibc';
  return join('prebuilds', `${process.platform}-${process.arch}`, `nabla${libc}.node`);
}

/**
 * Packs the package as `npm pack` would publish it, without rebuilding what `prepack` builds
 * (dist/ by `npm run build`, the playground, and the prebuilt addon by prebuildify, minutes on a
 * busy machine): npm lists the files (`npm pack --dry-run`, which honours `files`), they are
 * copied to a staging directory, and the addon that `npm ci` just compiled from these sources
 * (build/Release) takes the prebuilt binary's place. Returns the tarball's path.
 */
export function pack(work: string): string {
  const listing = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT)) as {
    files: { path: string }[];
  }[];
  const stage = join(work, 'stage');
  for (const { path } of listing[0].files) {
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    cpSync(join(ROOT, path), join(stage, path));
  }
  const prebuilt = join(stage, prebuiltName());
  mkdirSync(dirname(prebuilt), { recursive: true });
  copyFileSync(join(ROOT, 'build', 'Release', 'nabla_native.node'), prebuilt);
  const packed = JSON.parse(
    npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], stage),
  ) as { filename: string }[];
  return join(work, packed[0].filename);
}

/** A fresh directory under the system's temporary one (no node_modules above it). */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'nabla-consumer-'));
}

/** A consumer project (ESM) with the tarball installed from npm's cache, as a user installs it. */
export function consumer(work: string, tarball: string): { dir: string; log: string } {
  const dir = join(work, 'consumer');
  mkdirSync(dir);
  const manifest = { name: 'consumer', version: '1.0.0', private: true, type: 'module' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  // --prefer-offline: nabla's dependencies come from the npm cache that `npm ci` filled, the
  // registry only for what is missing. CC and CXX name a compiler that always fails, so a
  // build from source would print its one line instead of going unnoticed.
  const args = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts'];
  const log = npm([...args, tarball], dir, { CC: 'false', CXX: 'false' });
  return { dir, log };
}

/**
 * A tsconfig for the consumer: strict, `module`/`moduleResolution` as asked, `types` as given
 * ([] keeps @types/node out even when it is installed), written to tsconfig.<name>.json.
 */
export function tsconfig(
  dir: string,
  name: string,
  resolution: 'nodenext' | 'bundler',
  files: string[],
  types: string[],
  outDir?: string,
): string {
  const compilerOptions = {
    strict: true,
    module: resolution === 'nodenext' ? 'NodeNext' : 'ESNext',
    moduleResolution: resolution,
    target: 'ES2022',
    // DOM for console: the core entry is for browsers too, and needs nothing of Node.
    lib: ['ES2022', 'DOM'],
    types,
    skipLibCheck: false,
    ...(outDir === undefined ? { noEmit: true } : { outDir }),
  };
  const file = join(dir, `tsconfig.${name}.json`);
  writeFileSync(file, JSON.stringify({ compilerOptions, files }, null, 2));
  return file;
}

/** Type-checks (and, with an outDir, compiles) a consumer project with the repository's tsc. */
export function tsc(dir: string, project: string): string {
  return run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], dir);
}

/** The ```ts blocks of the README's "Quick start" sections, in order. */
export function quickStarts(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const sections = readme.split(/^## /m).filter((s) => s.startsWith('Quick start'));
  return sections.flatMap((s) => [...s.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]));
}
