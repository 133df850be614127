/** Finding NaN and ±Infinity in a training step (for `fit`'s `onNonFinite`). */
import { AnomalyError, detectAnomaly } from '../autograd/anomaly.js';
import type { Module } from '../nn/module.js';
import type { GeneratorState } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import type { NonFiniteEvent } from './types.js';

/** A NaN or ±Infinity, and where it was first seen: the loss, or a parameter's gradient. */
export type NonFiniteValue = { where: 'loss' | 'gradient'; value: number };

/** The first NaN or ±Infinity in the parameters' gradients, or undefined. */
export function nonFiniteGradient(model: Module): NonFiniteValue | undefined {
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

/** The operation that first produced a bad value, and in which pass. */
export type BadOperation = { op: string; phase: 'forward' | 'backward' };

/**
 * The operation `detectAnomaly` stops at while `run` runs, or undefined when none does. With
 * `from`, `run` starts from that state of the default generator (to re-run a step exactly), and
 * the generator is put back as it was afterwards.
 */
export function firstBadOperation(
  run: () => void,
  from?: GeneratorState,
): BadOperation | undefined {
  const after = engine.generator.getState();
  if (from !== undefined) engine.generator.setState(from);
  try {
    detectAnomaly(run);
  } catch (e) {
    if (e instanceof AnomalyError) return { op: e.op, phase: e.phase };
    throw e;
  } finally {
    engine.generator.setState(after);
  }
  return undefined;
}

/** Where a step went bad, for {@link nonFiniteMessage}. */
export interface NonFiniteAt {
  epoch: number;
  batch: number;
  step: number;
  lr: number;
}

/** The message of a step whose loss or a gradient became NaN or ±Infinity. */
export function nonFiniteMessage(
  bad: NonFiniteValue,
  operation: BadOperation | undefined,
  at: NonFiniteAt,
): string {
  const where =
    bad.where === 'loss' ? `the loss became ${bad.value}` : `a gradient held ${bad.value}`;
  const cause =
    operation === undefined ? '' : ` (first in the ${operation.phase} pass of ${operation.op})`;
  return (
    `fit: ${where} at epoch ${at.epoch}, batch ${at.batch} (step ${at.step})${cause}; ` +
    `the learning rate (${at.lr}) is probably too large — try a smaller one, or clip the gradients (clipGradNorm)`
  );
}

/** What `fit` records of a step it skipped or warned about. */
export function nonFiniteEvent(
  bad: NonFiniteValue,
  operation: BadOperation | undefined,
  at: NonFiniteAt,
  action: 'skip' | 'warn',
): NonFiniteEvent {
  const message = nonFiniteMessage(bad, operation, at);
  const { epoch, batch, step } = at;
  const found = operation === undefined ? {} : { operation };
  return { epoch, batch, step, where: bad.where, value: bad.value, ...found, action, message };
}
