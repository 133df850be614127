import fc from 'fast-check';

/**
 * Direct convolutions written as loops over the definitions (PyTorch's), the reference the
 * im2col-based ops are compared with, and random convolution configurations for property tests.
 */

/** One convolution: sizes, window and options, as conv2d takes them. */
export interface ConvConfig {
  n: number;
  /** Input channels, output channels. */
  c: number;
  o: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  stride: [number, number];
  padding: [number, number] | 'same';
  dilation: [number, number];
  groups: number;
  bias: boolean;
}

/** A plain array of values with its shape. */
export interface Plain {
  data: Float64Array;
  shape: number[];
}

/** The zeros before and after the input along one dimension, as PyTorch pads ('same': odd one after). */
function pads(cfg: ConvConfig, dim: 0 | 1): [number, number] {
  if (cfg.padding !== 'same') return [cfg.padding[dim], cfg.padding[dim]];
  const k = dim === 0 ? cfg.kh : cfg.kw;
  const total = cfg.dilation[dim] * (k - 1);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The output size of conv2d along one dimension. */
export function convOut(cfg: ConvConfig, dim: 0 | 1): number {
  const [before, after] = pads(cfg, dim);
  const size = dim === 0 ? cfg.h : cfg.w;
  const k = dim === 0 ? cfg.kh : cfg.kw;
  return (
    Math.floor((size + before + after - cfg.dilation[dim] * (k - 1) - 1) / cfg.stride[dim]) + 1
  );
}

/** conv2d by its definition: x [n, c, h, w], w [o, c/groups, kh, kw], b [o]. */
export function naiveConv2d(
  x: Float64Array,
  w: Float64Array,
  b: Float64Array | null,
  cfg: ConvConfig,
): Plain {
  const { n, c, o, h, kh, kw, groups } = cfg;
  const [oh, ow] = [convOut(cfg, 0), convOut(cfg, 1)];
  const [top, left] = [pads(cfg, 0)[0], pads(cfg, 1)[0]];
  const [cg, og] = [c / groups, o / groups];
  const out = new Float64Array(n * o * oh * ow);
  let at = 0;
  for (let s = 0; s < n; s++)
    for (let oc = 0; oc < o; oc++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++, at++) {
          let sum = b === null ? 0 : b[oc];
          const g = Math.floor(oc / og);
          for (let ci = 0; ci < cg; ci++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const iy = y * cfg.stride[0] - top + i * cfg.dilation[0];
                const ix = xx * cfg.stride[1] - left + j * cfg.dilation[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= cfg.w) continue;
                const xv = x[((s * c + g * cg + ci) * h + iy) * cfg.w + ix];
                sum += xv * w[((oc * cg + ci) * kh + i) * kw + j];
              }
          out[at] = sum;
        }
  return { data: out, shape: [n, o, oh, ow] };
}

/** One transposed convolution: input [n, c, h, w], weight [c, o/groups, kh, kw]. */
export interface ConvTransposeConfig extends Omit<ConvConfig, 'padding'> {
  padding: [number, number];
  outputPadding: [number, number];
}

/** The output size of convTranspose2d along one dimension. */
export function transposeOut(cfg: ConvTransposeConfig, dim: 0 | 1): number {
  const size = dim === 0 ? cfg.h : cfg.w;
  const k = dim === 0 ? cfg.kh : cfg.kw;
  const { stride, padding, dilation, outputPadding } = cfg;
  return (
    (size - 1) * stride[dim] - 2 * padding[dim] + dilation[dim] * (k - 1) + outputPadding[dim] + 1
  );
}

/** convTranspose2d by its definition: each input value adds W·value into its output window. */
export function naiveConvTranspose2d(
  x: Float64Array,
  w: Float64Array,
  b: Float64Array | null,
  cfg: ConvTransposeConfig,
): Plain {
  const { n, c, o, h, kh, kw, groups } = cfg;
  const [oh, ow] = [transposeOut(cfg, 0), transposeOut(cfg, 1)];
  const [cg, og] = [c / groups, o / groups];
  const out = new Float64Array(n * o * oh * ow);
  for (let s = 0; s < n; s++)
    for (let ci = 0; ci < c; ci++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < cfg.w; xx++) {
          const v = x[((s * c + ci) * h + y) * cfg.w + xx];
          const g = Math.floor(ci / cg);
          for (let co = 0; co < og; co++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const oy = y * cfg.stride[0] - cfg.padding[0] + i * cfg.dilation[0];
                const ox = xx * cfg.stride[1] - cfg.padding[1] + j * cfg.dilation[1];
                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                const to = ((s * o + g * og + co) * oh + oy) * ow + ox;
                out[to] += v * w[((ci * og + co) * kh + i) * kw + j];
              }
        }
  if (b !== null) for (let i = 0; i < out.length; i++) out[i] += b[Math.floor(i / (oh * ow)) % o];
  return { data: out, shape: [n, o, oh, ow] };
}

/** Deterministic values in about [−1, 1] for `count` elements. */
export function values(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const int = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });

/** The smallest input size a window fits in, plus `extra`. */
const fitting = (k: number, d: number, p: number, extra: number): number =>
  Math.max(1, d * (k - 1) + 1 - 2 * p) + extra;

/** Random small convolutions: stride, padding ('same' too), dilation and groups all vary. */
export function convConfigs(maxExtra = 3): fc.Arbitrary<ConvConfig> {
  return fc
    .record({
      n: int(1, 2),
      groups: int(1, 3),
      cg: int(1, 2),
      og: int(1, 2),
      k: fc.tuple(int(1, 3), int(1, 3)),
      s: fc.tuple(int(1, 3), int(1, 3)),
      p: fc.tuple(int(0, 2), int(0, 2)),
      d: fc.tuple(int(1, 2), int(1, 2)),
      extra: fc.tuple(int(0, maxExtra), int(0, maxExtra)),
      same: fc.boolean(),
      bias: fc.boolean(),
    })
    .map((r) => ({
      n: r.n,
      c: r.groups * r.cg,
      o: r.groups * r.og,
      h: r.same ? 1 + r.extra[0] : fitting(r.k[0], r.d[0], r.p[0], r.extra[0]),
      w: r.same ? 1 + r.extra[1] : fitting(r.k[1], r.d[1], r.p[1], r.extra[1]),
      kh: r.k[0],
      kw: r.k[1],
      stride: r.same ? [1, 1] : r.s,
      padding: r.same ? 'same' : r.p,
      dilation: r.d,
      groups: r.groups,
      bias: r.bias,
    }));
}

/** Random small transposed convolutions, with an outputPadding below stride or dilation. */
export function transposeConfigs(maxSize = 3): fc.Arbitrary<ConvTransposeConfig> {
  return fc
    .record({
      n: int(1, 2),
      groups: int(1, 2),
      cg: int(1, 2),
      og: int(1, 2),
      k: fc.tuple(int(1, 3), int(1, 3)),
      s: fc.tuple(int(1, 3), int(1, 3)),
      p: fc.tuple(int(0, 1), int(0, 1)),
      d: fc.tuple(int(1, 2), int(1, 2)),
      size: fc.tuple(int(1, maxSize), int(1, maxSize)),
      op: fc.tuple(int(0, 2), int(0, 2)),
      bias: fc.boolean(),
    })
    .map((r) => {
      const cfg: ConvTransposeConfig = {
        n: r.n,
        c: r.groups * r.cg,
        o: r.groups * r.og,
        h: r.size[0],
        w: r.size[1],
        kh: r.k[0],
        kw: r.k[1],
        stride: r.s,
        padding: r.p,
        dilation: r.d,
        outputPadding: [
          Math.min(r.op[0], Math.max(r.s[0], r.d[0]) - 1),
          Math.min(r.op[1], Math.max(r.s[1], r.d[1]) - 1),
        ],
        groups: r.groups,
        bias: r.bias,
      };
      return cfg;
    })
    .filter((cfg) => transposeOut(cfg, 0) >= 1 && transposeOut(cfg, 1) >= 1);
}
