// Builds dist/ with tsc (`npm run build`) unless it is newer than every file it is compiled from.
// The package's `prepare` script: npm runs it after `npm ci` and again when `npx nabla` links the
// repository into npx's cache, and the second time there is nothing to do (a full build takes
// 15–60 s of two busy cores; this check, a few milliseconds).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', 'index.js');

/** The newest modification time among the files under `dir`, recursively. */
function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];
const fresh =
  existsSync(stamp) &&
  Math.max(newest(join(root, 'src')), ...inputs.map((f) => statSync(join(root, f)).mtimeMs)) <
    statSync(stamp).mtimeMs;
if (!fresh) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
