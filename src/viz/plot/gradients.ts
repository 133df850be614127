/**
 * Gradient norms per layer over training — the picture of vanishing and exploding gradients.
 *
 * @module
 */
import type { Module } from '../../nn/module.js';
import { checkObject, fail } from '../../tensor/check.js';
import { lineChart, type Series } from './chart.js';
import type { ScaleType } from './scale.js';
import type { PlotOptions } from './training.js';

/**
 * The L2 norm of the current gradient of each parameter, by its dotted name
 * (`layers.0.weight`); parameters without a gradient are left out. Call it from a training
 * callback (`onBatchEnd` sees the gradients of the step just taken) to collect them over time.
 *
 * @example
 * import { gradientNorms } from 'nabla/viz';
 * const data = datasets.spiral({ samples: 90, classes: 3 });
 * const model = mlp([2, 16, 3]);
 * const norms: Record<string, number>[] = [];
 * fit(model, data, { callbacks: { onBatchEnd: () => void norms.push(gradientNorms(model)) } });
 */
export function gradientNorms(model: Module): Record<string, number> {
  if (model === null || typeof model !== 'object' || typeof model.namedParameters !== 'function') {
    throw new TypeError('gradientNorms: expected a Module');
  }
  const out: Record<string, number> = {};
  for (const [name, p] of model.namedParameters()) {
    const g = p.grad;
    if (g === null || g === undefined) continue;
    const data = g.data;
    let s = 0;
    for (let i = 0; i < data.length; i++) s += Number(data[i]) * Number(data[i]);
    out[name] = Math.sqrt(s);
  }
  return out;
}

/** One measured gradient norm. */
export interface GradientNormRecord {
  step: number;
  layer: string;
  norm: number;
}

/** Options of {@link plotGradientNorms}. */
export interface PlotGradientNormsOptions extends PlotOptions {
  /** The y axis (default log: norms span decades when gradients vanish or explode). */
  scale?: ScaleType;
  /** The x axis label (default 'step'). */
  xLabel?: string;
}

/** Norms given by layer: a plain object whose every value is a list of numbers. */
function checkByLayer(norms: unknown): Record<string, ArrayLike<number>> {
  const ctx = { where: 'plotGradientNorms' };
  const proto = norms !== null && typeof norms === 'object' ? Object.getPrototypeOf(norms) : 0;
  if (proto !== Object.prototype && proto !== null)
    fail(ctx, 'norms', 'records { step, layer, norm }[] or { [layer]: norms[] }', norms, TypeError);
  for (const [name, y] of Object.entries(norms as object)) {
    const length = (y as { length?: unknown } | null)?.length;
    if (y === null || typeof y !== 'object' || typeof length !== 'number')
      fail(ctx, `norms.${name}`, 'a list of numbers', y, TypeError);
  }
  return norms as Record<string, ArrayLike<number>>;
}

/**
 * One line per layer of the gradient's norm over training. Takes records `{ step, layer, norm }`
 * or, per layer, the norms at steps 1, 2, … (e.g. the `gradientNorms` of every step, transposed).
 * A norm of 0 leaves a gap on the log axis.
 *
 * @example
 * import { gradientNorms, plotGradientNorms } from 'nabla/viz';
 * const data = datasets.spiral({ samples: 90, classes: 3 });
 * const model = mlp([2, 16, 3]);
 * const byLayer: Record<string, number[]> = {};
 * fit(model, data, {
 *   callbacks: {
 *     onBatchEnd: () => {
 *       for (const [name, n] of Object.entries(gradientNorms(model))) (byLayer[name] ??= []).push(n);
 *     },
 *   },
 * });
 * const svg = plotGradientNorms(byLayer);
 */
export function plotGradientNorms(
  norms: GradientNormRecord[] | Record<string, ArrayLike<number>>,
  options: PlotGradientNormsOptions = {},
): string {
  checkObject({ where: 'plotGradientNorms' }, 'options', options);
  const series: Series[] = [];
  if (Array.isArray(norms)) {
    const byLayer = new Map<string, { x: number[]; y: number[] }>();
    norms.forEach((r: Partial<GradientNormRecord> | null, i) => {
      if (
        r === null ||
        typeof r !== 'object' ||
        typeof r.layer !== 'string' ||
        typeof r.step !== 'number' ||
        typeof r.norm !== 'number'
      ) {
        throw new TypeError(
          `plotGradientNorms: norms[${i}] must be { step: number, layer: string, norm: number }`,
        );
      }
      let s = byLayer.get(r.layer);
      if (s === undefined) byLayer.set(r.layer, (s = { x: [], y: [] }));
      s.x.push(r.step);
      s.y.push(r.norm);
    });
    for (const [name, { x, y }] of byLayer) {
      const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
      series.push({ name, x: order.map((i) => x[i]), y: order.map((i) => y[i]) });
    }
  } else {
    for (const [name, y] of Object.entries(checkByLayer(norms))) series.push({ name, y });
  }
  const scale = options.scale ?? 'log';
  return lineChart({
    title: options.title ?? 'Gradient norm per layer',
    xLabel: options.xLabel ?? 'step',
    yLabel: scale === 'log' ? '‖gradient‖₂ (log scale)' : '‖gradient‖₂',
    series: series.map((s) => ({ ...s, width: 1.5, markers: s.y.length <= 40 })),
    scale,
    xInteger: true,
    width: options.width,
    height: options.height,
  });
}
