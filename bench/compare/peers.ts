/**
 * The frameworks to compare, of those asked for: nabla's registered backends, TensorFlow.js and
 * jax-js (installed into bench/peers/ on first use) and PyTorch (Debian's python3, when
 * installed); one line on each that was asked for and cannot run.
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

/** The npm packages of bench/peers/package.json. */
const PEER_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@jax-js/jax'];

/** Whether bench/peers/node_modules holds an npm package. */
function have(pkg: string): boolean {
  return existsSync(path.join(PEERS, 'node_modules', ...pkg.split('/'), 'package.json'));
}

/** Installs bench/peers/node_modules when a package is missing (`npm ci`, no install scripts). */
export function ensurePeers(): { ok: boolean; note?: string } {
  if (PEER_PACKAGES.every(have)) return { ok: true };
  console.log(
    'compare: installing the peers: npm ci --prefix bench/peers --ignore-scripts (TensorFlow.js, jax-js, ≈ 300 MB)',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawnSync(
    npm,
    ['ci', '--prefix', PEERS, '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: ROOT, stdio: 'inherit', timeout: 600_000 },
  );
  if (child.status === 0 && PEER_PACKAGES.every(have)) return { ok: true };
  return { ok: false, note: `npm ci --prefix bench/peers failed (${failure(child)})` };
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
  if (result === undefined) return { note: `PyTorch: failed to start (${failure(child)})` };
  return { info: result as unknown as TorchInfo };
}

/** The version of an npm package installed in bench/peers/ (read from its package.json). */
function installedVersion(pkg: string): string {
  const file = path.join(PEERS, 'node_modules', ...pkg.split('/'), 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
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

/** What set-up found: the frameworks that can run, the peers' versions, and why others cannot. */
export interface SetUp {
  frameworks: Framework[];
  /** One line per framework asked for that cannot run. */
  failures: string[];
  versions: Record<string, string>;
  torch: { info?: TorchInfo; note?: string };
}

/** Why a framework cannot run, or undefined when it can. */
function whyNot(
  fw: Framework,
  backends: readonly string[],
  npmPeers: { ok: boolean; note?: string },
  torch: { info?: TorchInfo; note?: string },
): string | undefined {
  if (fw.kind === 'nabla' && !backends.includes(fw.backend ?? '')) {
    return `not a backend of the built package (listBackends(): ${backends.join(', ')})`;
  }
  if (fw.kind === 'tfjs' || fw.kind === 'jaxjs') return npmPeers.ok ? undefined : npmPeers.note;
  if (fw.kind === 'torch') return torch.info !== undefined ? undefined : torch.note;
  return undefined;
}

/**
 * Of the frameworks asked for, those that can run; installs the npm peers when one of them is
 * asked for; prints what was found and one line on each that cannot run.
 */
export function setUpFrameworks(requested: readonly Framework[]): SetUp {
  const backends = nablaBackends();
  const wants = (k: string): boolean => requested.some((f) => f.kind === k);
  const npmPeers = wants('tfjs') || wants('jaxjs') ? ensurePeers() : { ok: true };
  const torch = wants('torch') ? detectTorch() : {};
  if (torch.info !== undefined) console.log(torchLine(torch.info));
  const versions: Record<string, string> = {};
  if (npmPeers.ok && wants('tfjs')) versions.tfjs = installedVersion('@tensorflow/tfjs');
  if (npmPeers.ok && wants('jaxjs')) versions.jaxjs = installedVersion('@jax-js/jax');
  const frameworks: Framework[] = [];
  const failures: string[] = [];
  for (const fw of requested) {
    const why = whyNot(fw, backends, npmPeers, torch);
    if (why === undefined) frameworks.push(fw);
    else failures.push(`${fw.id}: ${why}`);
  }
  console.log(
    `nabla backends: ${backends.join(', ')}` +
      Object.entries(versions)
        .map(([k, v]) => ` · ${k} ${v}`)
        .join(''),
  );
  return { frameworks, failures, versions, torch };
}
