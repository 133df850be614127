/**
 * The frameworks to compare: nabla's registered backends, TensorFlow.js (installed into
 * bench/peers/ on first use) and PyTorch (Debian's python3, when installed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  childEnv,
  failure,
  OPENBLAS_OVERRIDES,
  parseResult,
  PEERS,
  PYTHON,
  ROOT,
  spawn,
} from './child.js';
import type { Framework } from './types.js';

const TORCH_HINT = 'apt-get install python3-torch python3-numpy libopenblas0';

/**
 * The registered nabla backends, asked of the runner itself (`listBackends()` in the built package
 * that bench/peers/nabla.mjs imports), so that the list and the runs cannot disagree.
 */
export function nablaBackends(): string[] {
  const child = spawn(process.execPath, [path.join(PEERS, 'nabla.mjs'), '{"case":"backends"}'], {
    ...process.env,
  });
  const result = child.status === 0 ? parseResult(child.stdout) : undefined;
  if (result === undefined) throw new Error(`compare: nabla did not start: ${failure(child)}`);
  return result.backends as string[];
}

/** Installs bench/peers/node_modules when it is missing (`npm ci`, no install scripts). */
export function ensurePeers(): { ok: boolean; note?: string } {
  const have = (pkg: string): boolean =>
    existsSync(path.join(PEERS, 'node_modules', ...pkg.split('/'), 'package.json'));
  if (have('@tensorflow/tfjs') && have('@tensorflow/tfjs-backend-wasm')) return { ok: true };
  console.log(
    'compare: installing the peers once: npm ci --prefix bench/peers --ignore-scripts (TensorFlow.js, ≈ 300 MB)',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawnSync(
    npm,
    ['ci', '--prefix', PEERS, '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: ROOT, stdio: 'inherit', timeout: 600_000 },
  );
  if (child.status === 0 && have('@tensorflow/tfjs')) return { ok: true };
  return {
    ok: false,
    note: `TF.js: npm ci --prefix bench/peers failed (${failure(child)}); skipped`,
  };
}

/** What bench/peers/torch_runner.py reports of the PyTorch it runs. */
export interface TorchInfo {
  version: string;
  numpy: string;
  blasInfo: string;
  cpuCapability: string;
  blasLibrary: string | null;
  openblasCore: string | null;
  openblasThreadsSettable: boolean;
}

/** PyTorch and NumPy as Debian's python3 sees them, or a note on why they are skipped. */
function detectTorch(): { info?: TorchInfo; note?: string } {
  if (!existsSync(PYTHON)) return { note: `PyTorch: not installed (${TORCH_HINT})` };
  const env = childEnv({ id: 'pytorch', label: 'PyTorch', kind: 'torch' });
  const probe = spawn(PYTHON, ['-c', 'import torch, numpy'], env);
  if (probe.status !== 0) return { note: `PyTorch: not installed (${TORCH_HINT})` };
  const child = spawn(PYTHON, [path.join(PEERS, 'torch_runner.py'), '{"case":"info"}'], env);
  const result = child.status === 0 ? parseResult(child.stdout) : undefined;
  if (result === undefined)
    return { note: `PyTorch: failed to start (${failure(child)}); skipped` };
  return { info: result as unknown as TorchInfo };
}

/** The version of TF.js installed in bench/peers/. */
function installedTfjsVersion(): string {
  return (
    JSON.parse(
      readFileSync(path.join(PEERS, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8'),
    ) as { version: string }
  ).version;
}

/** One line on the PyTorch found: versions, BLAS library and core, CPU capability, threads. */
function torchLine(t: TorchInfo): string {
  return (
    `PyTorch ${t.version}, NumPy ${t.numpy}: ${t.blasInfo} → ${t.blasLibrary ?? 'no BLAS library mapped'}` +
    (t.openblasCore !== null ? ` (OpenBLAS core ${t.openblasCore})` : '') +
    `; ${t.cpuCapability}; ` +
    `${OPENBLAS_OVERRIDES.join(', ')} unset; best of 1 and 2 threads`
  );
}

/** What set-up found: the frameworks to run, the peers' versions, and notes on what is missing. */
export interface SetUp {
  frameworks: Framework[];
  notes: string[];
  tfjsVersion?: string;
  torch: { info?: TorchInfo; note?: string };
}

/**
 * The frameworks: every nabla backend, TF.js (wasm, cpu) when it installs, PyTorch when it is
 * there; prints what was found and what was skipped.
 */
export function setUpFrameworks(backends: readonly string[]): SetUp {
  const notes: string[] = [];
  const frameworks: Framework[] = backends.map((b) => ({
    id: `nabla-${b}`,
    label: `nabla ${b}`,
    kind: 'nabla',
    backend: b,
  }));
  const peers = ensurePeers();
  let tfjsVersion: string | undefined;
  if (peers.ok) {
    tfjsVersion = installedTfjsVersion();
    frameworks.push(
      { id: 'tfjs-wasm', label: 'TF.js wasm', kind: 'tfjs', backend: 'wasm' },
      { id: 'tfjs-cpu', label: 'TF.js cpu', kind: 'tfjs', backend: 'cpu' },
    );
  } else if (peers.note !== undefined) {
    notes.push(peers.note);
  }
  const torch = detectTorch();
  if (torch.info !== undefined) {
    frameworks.push({ id: 'pytorch', label: 'PyTorch', kind: 'torch' });
    console.log(torchLine(torch.info));
  } else if (torch.note !== undefined) {
    notes.push(torch.note);
  }
  for (const n of notes) console.log(n);
  console.log(
    `nabla backends: ${backends.join(', ')}` +
      (tfjsVersion !== undefined ? ` · TF.js ${tfjsVersion} (cpu, wasm)` : ''),
  );
  return { frameworks, notes, tfjsVersion, torch };
}
