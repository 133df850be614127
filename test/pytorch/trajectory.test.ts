// The proof of issue 18: nabla's float64 trajectory and the exported train.py's agree step by step
// (scripts/pytorch-trajectory.ts). It needs a Python with PyTorch (Debian's python3-torch); where
// there is none the suite is skipped, and says so.
import { describe, expect, it } from 'vitest';
import { CASES, prove, torchPython } from '../../scripts/pytorch-trajectory.js';

const python = torchPython();
if (python === undefined)
  console.warn(
    'test/pytorch/trajectory.test.ts: skipped, no Python with PyTorch (apt-get install python3-torch)',
  );

describe.skipIf(python === undefined)(
  'nabla and the exported train.py, 20 steps in float64',
  () => {
    for (const c of CASES) {
      it(`${c.name}: the same losses and weights at every step, from the start and from a checkpoint`, () => {
        const d = prove(c, python!);
        expect(d.torch.steps).toBe(20);
        expect(d.torch.loss).toBeLessThan(1e-10);
        expect(d.torch.weight).toBeLessThan(1e-10);
        expect(d.checkpoint.steps).toBe(10);
        expect(d.checkpoint.loss).toBeLessThan(1e-10);
        expect(d.checkpoint.weight).toBeLessThan(1e-10);
        if (c.ddp) {
          expect(d.ddp.loss).toBeLessThan(1e-10);
          expect(d.ddp.weight).toBeLessThan(1e-10);
        } else {
          // Batch norm normalizes each process's share of a batch by its own statistics.
          expect(d.ddp.weight).toBeGreaterThan(1e-6);
        }
      }, 600_000);
    }
  },
);
