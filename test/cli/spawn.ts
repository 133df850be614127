// Runs the `nabla` command from source, as the CLI tests do, and returns its exit code and output.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The repository's root. */
export const repo = join(import.meta.dirname, '..', '..');

/** tsx's loader by its path, so that a run from any folder finds it. */
const TSX = join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs');

/** What a finished `nabla` process left. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `nabla ...args` run in `cwd` (default: the repository), through tsx, within two minutes. */
export function runNabla(args: readonly string[], cwd = repo): Run {
  const r = spawnSync(
    process.execPath,
    ['--import', TSX, join(repo, 'src', 'cli', 'main.ts'), ...args],
    { cwd, encoding: 'utf8', env: { ...process.env, NABLA_DEBUG: '' }, timeout: 120_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
