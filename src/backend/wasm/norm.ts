/**
 * The wasm backend's normalization kernels (`Backend.normalize`, `normalizeBackward`, from
 * wasm/norm.cc) on float arrays of one type: the reference kernels' bits (the same sums in the
 * same order, in double). The layout goes to the module as 4 doubles: outer, channels, inner, eps.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import type { Backend, NormLayout } from '../backend.js';
import { input, output, sameFloat, type Arg, type Float, type WasmKernels } from './module.js';

/** Pointers into the module's memory; 0 for a weight or bias that is null. */
type NormalizeExport = (
  x: number,
  l: number,
  weight: number,
  bias: number,
  out: number,
  mean: number,
  variance: number,
) => void;
type BackwardExport = (
  x: number,
  g: number,
  l: number,
  mean: number,
  variance: number,
  weight: number,
  gradInput: number,
  gradWeight: number,
  gradBias: number,
) => void;

/** What wasm/norm.cc exports. */
export interface NormExports {
  normalize_f32: NormalizeExport;
  normalize_f64: NormalizeExport;
  normalize_backward_f32: BackwardExport;
  normalize_backward_f64: BackwardExport;
}

const layout = (l: NormLayout) => Float64Array.of(l.outer, l.channels, l.inner, l.eps);

/** An optional input: an empty array in place of null (its pointer is then passed as 0). */
const optional = (a: TypedArray | null, like: Float): Arg =>
  input(a === null ? new (like.constructor as Float64ArrayConstructor)(0) : (a as Float));

/** The normalization kernels of `inner` with the module's in front for float arrays of `minElements`. */
export function normKernels(
  kernels: WasmKernels,
  inner: Backend,
  minElements: number,
): Pick<Backend, 'normalize' | 'normalizeBackward'> {
  const x = kernels.exports;
  return {
    normalize(xs, l, weight, bias, out, mean, variance) {
      if (
        xs.length < minElements ||
        xs.length === 0 ||
        !sameFloat(xs, weight, bias, out, mean, variance)
      )
        return inner.normalize(xs, l, weight, bias, out, mean, variance);
      const f = xs instanceof Float32Array ? x.normalize_f32 : x.normalize_f64;
      const a = xs as Float;
      const args = [input(a), input(layout(l)), optional(weight, a), optional(bias, a)];
      const outs = [out, mean, variance].map((o) => output(o as Float));
      kernels.run([...args, ...outs], 0, ([px, pl, pw, pb, po, pm, pv]) =>
        f(px, pl, weight === null ? 0 : pw, bias === null ? 0 : pb, po, pm, pv),
      );
    },
    normalizeBackward(xs, g, l, mean, variance, weight, gradInput, gradWeight, gradBias) {
      const arrays = [xs, g, mean, variance, weight, gradInput, gradWeight, gradBias] as const;
      if (xs.length < minElements || xs.length === 0 || !sameFloat(...arrays))
        return inner.normalizeBackward(
          xs,
          g,
          l,
          mean,
          variance,
          weight,
          gradInput,
          gradWeight,
          gradBias,
        );
      const f = xs instanceof Float32Array ? x.normalize_backward_f32 : x.normalize_backward_f64;
      const a = xs as Float;
      const ins = [input(a), input(g as Float), input(layout(l))];
      const moments = [input(mean as Float), input(variance as Float), optional(weight, a)];
      const outs = [gradInput, gradWeight, gradBias].map((o) => output(o as Float));
      kernels.run([...ins, ...moments, ...outs], 0, ([px, pg, pl, pm, pv, pw, pgi, pgw, pgb]) =>
        f(px, pg, pl, pm, pv, weight === null ? 0 : pw, pgi, pgw, pgb),
      );
    },
  };
}
