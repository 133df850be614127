/** nabla's main job end to end: `nabla train` on one backend, timed as a whole process. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, failure, PEERS, ROOT, spawn } from './child.js';
import type { Framework, Run } from './types.js';

/** The main job takes ≈ 35 s on the TypeScript backend. */
const MAIN_JOB_TIMEOUT_MS = 240_000;

/** `nabla train --no-progress` on one backend, wall time of the whole process. */
export function runMainJob(fw: Framework): Run {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nabla-compare-'));
  try {
    const env = childEnv(fw);
    env.NABLA_BENCH_RSS_FILE = path.join(dir, 'rss.json');
    const args = [
      '--import',
      path.join(PEERS, 'rss-on-exit.mjs'),
      path.join(ROOT, 'dist', 'cli', 'main.js'),
      'train',
      '--no-progress',
      '--out',
      path.join(dir, 'run'),
    ];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, env, MAIN_JOB_TIMEOUT_MS);
    const seconds = (performance.now() - t0) / 1000;
    if (child.status !== 0) {
      return {
        framework: fw.id,
        case: 'main-job',
        ok: false,
        wallSeconds: seconds,
        error: failure(child),
      };
    }
    const rss = JSON.parse(readFileSync(env.NABLA_BENCH_RSS_FILE, 'utf8')) as { maxRssMB: number };
    const summary = JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as {
      backend: string;
      epochs: number;
      seconds: number;
      secondsPerEpoch: number;
      samplesPerSecond: number;
      test?: { accuracy: number };
    };
    if (summary.backend !== fw.backend) {
      // An unusable NABLA_BACKEND makes nabla fall back to another backend with a notice.
      const notice = child.stderr.trim().split('\n').slice(-1)[0] ?? '';
      return {
        framework: fw.id,
        case: 'main-job',
        ok: false,
        wallSeconds: seconds,
        error: `ran on the ${summary.backend} backend, not ${fw.backend}: ${notice}`,
      };
    }
    return {
      framework: fw.id,
      case: 'main-job',
      ok: true,
      wallSeconds: seconds,
      result: {
        maxRssMB: rss.maxRssMB,
        seconds,
        backend: summary.backend,
        epochs: summary.epochs,
        trainSeconds: summary.seconds,
        secondsPerEpoch: summary.secondsPerEpoch,
        samplesPerSecond: summary.samplesPerSecond,
        testAccuracy: summary.test?.accuracy,
        command: `NABLA_BACKEND=${fw.backend} node dist/cli/main.js train --no-progress`,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
