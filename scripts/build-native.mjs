// Builds the native kernel addon (build/Release/nabla_native.node) with node-gyp. Runs as the
// package's `install` script. A failed build never fails the installation: nabla then uses the
// TypeScript backend, and this prints one line saying so. NABLA_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.env.NABLA_SKIP_NATIVE === '1') process.exit(0);

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

const [command, prefixArgs] = nodeGyp();
const result = spawnSync(command, [...prefixArgs, 'rebuild', '-j', '2', ...nodedirArgs()], {
  cwd: root,
  encoding: 'utf8',
  env: process.env,
  shell: process.platform === 'win32',
});
const built = existsSync(join(root, 'build', 'Release', 'nabla_native.node'));
if (result.error || result.status !== 0 || !built) {
  const why = result.error
    ? result.error.message
    : reason(`${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  process.stdout.write(
    `nabla: the native backend could not be built (${why}); using the TypeScript backend\n`,
  );
}
process.exit(0);
