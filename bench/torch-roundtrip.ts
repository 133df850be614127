/**
 * The PyTorch round trip of issue 14: the same convolutional network (conv, batch norm, max-pool,
 * grouped conv, adaptive average pool, linear) in nabla and in PyTorch, weights saved by one and
 * loaded by the other by key, outputs compared in eval mode (running statistics in use).
 *
 *   npm run build && node --import tsx bench/torch-roundtrip.ts
 *
 * nabla trains its model a few steps (so that the running statistics are not their initial 0 and
 * 1), saves its state dict, an input and its output; bench/peers/torch_roundtrip.py loads them into
 * PyTorch, compares, trains its own copy, and saves it back; nabla loads that and compares. Needs
 * Debian's python3-torch (apt-get install python3-torch python3-numpy libopenblas0); exits 1 if a
 * difference exceeds float32 tolerance or PyTorch is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdaptiveAvgPool2d,
  BatchNorm2d,
  Conv2d,
  crossEntropy,
  decodeSafetensors,
  encodeSafetensors,
  Flatten,
  Linear,
  manualSeed,
  MaxPool2d,
  noGrad,
  randint,
  randn,
  ReLU,
  Sequential,
  SGD,
  type Tensor,
} from 'nabla';
import { childEnv, PEERS, PYTHON, parseResult, spawn } from './compare/child.js';

const TOLERANCE = 1e-4;

function model(): Sequential {
  return new Sequential(
    new Conv2d(3, 8, 3, { padding: 1 }),
    new BatchNorm2d(8),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: 1, groups: 2 }),
    new BatchNorm2d(16),
    new ReLU(),
    new AdaptiveAvgPool2d(2),
    new Flatten(),
    new Linear(64, 10),
  );
}

const maxDiff = (a: Tensor, b: Tensor): number => {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
};

manualSeed(0);
const dir = mkdtempSync(join(tmpdir(), 'nabla-roundtrip-'));
try {
  const net = model();
  const opt = new SGD(net.parameters(), { lr: 0.05, momentum: 0.9 });
  for (let i = 0; i < 5; i++) {
    const loss = crossEntropy(net.call(randn([16, 3, 16, 16])), randint(0, 10, [16]));
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  net.eval();
  const x = randn([4, 3, 16, 16]);
  const y = noGrad(() => net.call(x));
  writeFileSync(join(dir, 'nabla.safetensors'), encodeSafetensors(net.stateDict()));
  writeFileSync(join(dir, 'input.safetensors'), encodeSafetensors({ x }));
  writeFileSync(join(dir, 'nabla-out.safetensors'), encodeSafetensors({ y }));
  const env = childEnv({ id: 'pytorch', label: 'PyTorch', kind: 'torch' });
  const child = spawn(PYTHON, [join(PEERS, 'torch_roundtrip.py'), dir], env);
  const result = child.status === 0 ? parseResult(child.stdout) : undefined;
  if (result === undefined) throw new Error(`torch-roundtrip: PyTorch failed: ${child.stderr}`);
  const back = model();
  const state = decodeSafetensors(readFileSync(join(dir, 'torch.safetensors'))).tensors;
  back.loadStateDict(Object.fromEntries(state));
  back.eval();
  const torchOut = decodeSafetensors(readFileSync(join(dir, 'torch-out.safetensors'))).tensors.get(
    'y',
  )!;
  const torchToNabla = maxDiff(
    noGrad(() => back.call(x)),
    torchOut,
  );
  const nablaKeys = Object.keys(net.stateDict());
  const sameKeys = JSON.stringify(nablaKeys) === JSON.stringify(result.torchKeys);
  console.log(`state-dict keys (${nablaKeys.length}) the same as PyTorch's, in order: ${sameKeys}`);
  console.log(
    `nabla → PyTorch: largest output difference ${Number(result.nablaToTorchMaxDiff).toExponential(2)}`,
  );
  console.log(`PyTorch → nabla: largest output difference ${torchToNabla.toExponential(2)}`);
  console.log(`PyTorch ${String(result.version)}; tolerance ${TOLERANCE}`);
  const ok = sameKeys && Number(result.nablaToTorchMaxDiff) < TOLERANCE && torchToNabla < TOLERANCE;
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
