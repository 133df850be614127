// Builds the native kernel addon (build/Release/nabla_native.node) with node-gyp: a clean
// rebuild. With --install it is the package's `install` script, and builds only when no usable
// addon is there: a prebuilt one (prebuilds/<platform>-<arch>/, shipped in the npm package) that
// loads, or a build/Release one newer than every native source, is kept without compiling.
// A failed build never fails the installation: nabla then uses the WebAssembly backend, and this
// prints one line saying so. NABLA_SKIP_NATIVE=1 skips it all; npm's --build-from-source
// (npm_config_build_from_source=true) builds even when a prebuilt addon would load.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'build', 'Release', 'nabla_native.node');

if (process.env.NABLA_SKIP_NATIVE === '1') process.exit(0);

/** Whether a build/Release addon is older than a file it is compiled from (a stale build). */
function stale() {
  const sources = ['binding.gyp', ...readdirSync(join(root, 'native')).map((f) => `native/${f}`)];
  const time = statSync(built).mtimeMs;
  return sources.some((file) => statSync(join(root, file)).mtimeMs > time);
}

/**
 * Whether node-gyp-build finds an addon that loads, tried in a child process (a prebuilt binary
 * for another libc or a broken file must not end this script), and that is not a stale build.
 */
function usable() {
  if (process.env.npm_config_build_from_source === 'true') return false;
  if (existsSync(built) && stale()) return false;
  let loader;
  try {
    loader = createRequire(import.meta.url).resolve('node-gyp-build');
  } catch {
    return false;
  }
  const load = `require(${JSON.stringify(loader)})(${JSON.stringify(root)})`;
  return spawnSync(process.execPath, ['-e', load], { stdio: 'ignore' }).status === 0;
}

/** Command and arguments that run node-gyp: npm's bundled copy when npm tells us where it is. */
function nodeGyp() {
  const bundled = process.env.npm_config_node_gyp;
  if (bundled && existsSync(bundled)) return [process.execPath, [bundled]];
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  return [npx, ['--yes', 'node-gyp']];
}

/**
 * Without a configured nodedir node-gyp downloads Node's headers; when this Node installation
 * ships them (<prefix>/include/node), build against those instead, with no network.
 */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

/** The last meaningful line of node-gyp's output, as the short reason for a failure. */
function reason(output) {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('gyp info'));
  const error =
    lines.find((line) => /\berror\b/i.test(line) && !line.startsWith('gyp ERR!')) ??
    lines.find((line) => line.startsWith('gyp ERR! stack Error:')) ??
    lines.at(-1) ??
    'node-gyp produced no output';
  return error.replace(/^gyp ERR! stack Error: /, '').slice(0, 160);
}

/** Runs `node-gyp rebuild`; prints the one line when no addon comes out of it. */
function build() {
  const [command, prefixArgs] = nodeGyp();
  const result = spawnSync(command, [...prefixArgs, 'rebuild', '-j', '2', ...nodedirArgs()], {
    cwd: root,
    encoding: 'utf8',
    env: process.env,
    shell: process.platform === 'win32',
  });
  if (result.error || result.status !== 0 || !existsSync(built)) {
    const why = result.error
      ? result.error.message
      : reason(`${result.stdout ?? ''}\n${result.stderr ?? ''}`);
    process.stdout.write(
      `nabla: the native backend could not be built (${why}); using the WebAssembly backend instead\n`,
    );
  }
}

/**
 * Builds the prebuilt binary that the npm package ships (prebuilds/<platform>-<arch>/, N-API so
 * one file serves every Node version, stripped, tagged with the libc), with prebuildify. Unlike the
 * install build, a failure here fails: a package must not be packed without its binary.
 */
function prebuild() {
  const prebuildify = createRequire(import.meta.url).resolve('prebuildify/bin.js');
  const args = ['--napi', '--strip', '--tag-libc', `--target=${process.versions.node}`];
  const gyp = process.env.npm_config_node_gyp;
  if (gyp && existsSync(gyp)) args.push(`--node-gyp=${gyp}`);
  const nodedir = nodedirArgs()[0]?.slice('--nodedir='.length);
  const env = { ...process.env, JOBS: '2', ...(nodedir ? { npm_config_nodedir: nodedir } : {}) };
  const result = spawnSync(process.execPath, [prebuildify, ...args], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // prebuildify moves the build out of build/Release; the tests load it from there.
  const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const file = readdirSync(dir).find((name) => name.endsWith('.node'));
  if (file) copyFileSync(join(dir, file), built);
  process.exit(0);
}

if (process.argv.includes('--prebuild')) prebuild();
if (!(process.argv.includes('--install') && usable())) build();
process.exit(0);
