/** Finding NaN and ±Infinity in a training step (for `fit`'s `onNonFinite`). */
import { AnomalyError, detectAnomaly } from '../autograd/anomaly.js';
import type { Module } from '../nn/module.js';

/** The first NaN or ±Infinity in the parameters' gradients, or undefined. */
export function nonFiniteGradient(model: Module): { where: 'gradient'; value: number } | undefined {
  for (const p of model.parameters()) {
    const g = p.grad?.data;
    if (g === undefined) continue;
    for (let i = 0; i < g.length; i++) {
      const v = g[i];
      if (v - v !== 0) return { where: 'gradient', value: v };
    }
  }
  return undefined;
}

/** The operation `detectAnomaly` stops at while `run` runs, or undefined when none does. */
export function firstBadOperation(
  run: () => void,
): { op: string; phase: 'forward' | 'backward' } | undefined {
  try {
    detectAnomaly(run);
  } catch (e) {
    if (e instanceof AnomalyError) return { op: e.op, phase: e.phase };
    throw e;
  }
  return undefined;
}
