import type { Backend } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { engine } from '../../tensor/state.js';

/** Rows and columns of the register tile the packed kernel computes at once. */
const MR = 4;
const NR = 4;
/** Depth of one packed block: a KC×NR panel of B (8 KiB) stays in L1 while A panels stream by. */
const KC = 256;
/** Rows of A packed per block (MC×KC doubles, 256 KiB, meant to stay in L2). */
const MC = 128;
/** Products with m, n and k all at least this, and enough work, use the packed path. */
const PACK_MIN = 4;
/** Below this many multiply-adds, packing costs more than it saves: the tiled direct kernel. */
const PACK_MIN_WORK = 64 * 64 * 64;

/**
 * Scratch reused across calls (the kernels are synchronous, so one set suffices): allocating
 * typed arrays on every product of small matrices costs more than the arithmetic. A cache, kept
 * with the others in `engine.caches` (tensor/state.ts).
 */
function scratchArray(key: 'c' | 'ap' | 'bp', n: number): Float64Array {
  const scratch = engine.caches.matmul;
  if (scratch[key].length < n)
    scratch[key] = new Float64Array(Math.max(n, 2 * scratch[key].length));
  return scratch[key];
}

/**
 * Batched matrix product: for each of `batch` pairs, out (m×n) = op(A)·op(B), where op(A) is m×k
 * (A stored k×m when `transA`) and op(B) is k×n (B stored n×k when `transB`). Matrix t of A starts
 * at t·aBatchStride (0 reuses one matrix), likewise for B; `out` is contiguous batch×m×n and is
 * overwritten. Every product accumulates in doubles and is rounded once when stored.
 *
 * Thin products (m, n or k below 4: matrix-vector and outer products) use direct loops: i-k-j
 * over rows of B and of a double accumulator row when B is not transposed, i-j-k dot products
 * when it is. All others pack blocks of A and B into double panels — the transposes are absorbed
 * there — and run one 4×4 register-tiled kernel, blocked over k (KC) and over rows of A (MC).
 *
 * Over int32 the sums are exact while they stay below 2^53 in magnitude, then wrap on store.
 *
 * @example
 * const out = new Float32Array(4);
 * // [[1, 2, 3], [4, 5, 6]] · [[7, 8], [9, 10], [11, 12]]
 * const a = Float32Array.of(1, 2, 3, 4, 5, 6);
 * const b = Float32Array.of(7, 8, 9, 10, 11, 12);
 * matmul(a, b, out, 1, 2, 2, 3, false, false, 0, 0); // out = [58, 64, 139, 154]
 */
export const matmul: Backend['matmul'] = (
  a,
  b,
  out,
  batch,
  m,
  n,
  k,
  transA,
  transB,
  aBatchStride,
  bBatchStride,
) => {
  const mn = m * n;
  if (batch === 0 || mn === 0) return;
  if (k === 0) {
    out.fill(0, 0, batch * mn);
    return;
  }
  // Where a matrix is a single row or column, both layouts are the same memory: pick the
  // layout whose loops run contiguously.
  if (n === 1) transB = true;
  if (m === 1) transA = false;
  const dims: Dims = {
    m,
    n,
    k,
    ars: transA ? 1 : k,
    acs: transA ? m : 1,
    brs: transB ? 1 : n,
    bcs: transB ? k : 1,
  };
  if (m >= PACK_MIN && n >= PACK_MIN && k >= PACK_MIN && m * n * k >= PACK_MIN_WORK) {
    const space = new Workspace(m, n, k);
    for (let t = 0; t < batch; t++) {
      packedProduct(a, t * aBatchStride, b, t * bBatchStride, out, t * mn, dims, space);
    }
  } else {
    for (let t = 0; t < batch; t++) {
      tiledProduct(a, t * aBatchStride, b, t * bBatchStride, out, t * mn, dims);
    }
  }
};

/**
 * The batched products of `matmul`, summed: out (m×n) = Σ_t op(A_t)·op(B_t), with matmul's
 * arguments. Each product is formed in doubles as `matmul` forms it, the products are added in
 * order of t in doubles, and the sum is rounded once when stored.
 *
 * @example
 * const out = new Float32Array(1);
 * // [1, 2]·[3, 4]ᵀ + [5, 6]·[7, 8]ᵀ
 * const a = Float32Array.of(1, 2, 5, 6);
 * const b = Float32Array.of(3, 4, 7, 8);
 * matmulSum(a, b, out, 2, 1, 1, 2, false, true, 2, 2); // out = [94]
 */
export const matmulSum: Backend['matmulSum'] = (
  a,
  b,
  out,
  batch,
  m,
  n,
  k,
  transA,
  transB,
  aBatchStride,
  bBatchStride,
) => {
  const mn = m * n;
  const sum = new Float64Array(mn);
  const product = new Float64Array(mn);
  for (let t = 0; t < batch && k > 0; t++) {
    const at = a.subarray(t * aBatchStride) as TypedArray;
    const bt = b.subarray(t * bBatchStride) as TypedArray;
    matmul(at, bt, product, 1, m, n, k, transA, transB, 0, 0);
    for (let i = 0; i < mn; i++) sum[i] += product[i];
  }
  for (let i = 0; i < mn; i++) out[i] = sum[i];
};

/**
 * One product's sizes and element steps: op(A)[i][p] = a[aOff + i·ars + p·acs] and
 * op(B)[p][j] = b[bOff + p·brs + j·bcs].
 */
interface Dims {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly ars: number;
  readonly acs: number;
  readonly brs: number;
  readonly bcs: number;
}

/**
 * One small product straight from the operands (no packing): 4×4 tiles of the output whose 16
 * sums live in locals over the whole k loop, then 4×1 tiles for leftover columns, 1×4 tiles for
 * leftover rows and single dot products for the corner. Faster than packing below ~64³
 * multiply-adds, where copying the panels costs more than it saves.
 */
function tiledProduct(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  out: TypedArray,
  oOff: number,
  dims: Dims,
): void {
  const { m, n, ars, bcs } = dims;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const ai = aOff + i * ars;
    const oi = oOff + i * n;
    for (let j = 0; j < n4; j += 4) tile4x4(a, ai, b, bOff + j * bcs, out, oi + j, dims);
    for (let j = n4; j < n; j++) tile4x1(a, ai, b, bOff + j * bcs, out, oi + j, dims);
  }
  for (let i = m4; i < m; i++) {
    const ai = aOff + i * ars;
    const oi = oOff + i * n;
    for (let j = 0; j < n4; j += 4) tile1x4(a, ai, b, bOff + j * bcs, out, oi + j, dims);
    for (let j = n4; j < n; j++) out[oi + j] = dot(a, ai, b, bOff + j * bcs, dims);
  }
}

/** A register-tile kernel: a small block of out from rows of op(A) at `ai` and columns of op(B) at `bj`. */
type Tile = (
  a: TypedArray,
  ai: number,
  b: TypedArray,
  bj: number,
  out: TypedArray,
  o: number,
  dims: Dims,
) => void;

/**
 * out[4×4 tile at o, row stride n] = rows of op(A) from `ai` · columns of op(B) from `bj`, the 16
 * sums in locals over the whole k loop; each step reads 4 values of A and 4 of B.
 */
// prettier-ignore
function tile4x4(
  a: TypedArray, ai: number, b: TypedArray, bj: number, out: TypedArray, o: number, dims: Dims,
): void {
  const { n, k, ars, acs, brs, bcs } = dims;
  const a0 = ai, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
  const b0 = bj, b1 = b0 + bcs, b2 = b1 + bcs, b3 = b2 + bcs;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0, ap = 0, bp = 0; p < k; p++, ap += acs, bp += brs) {
    const x0 = a[a0 + ap], x1 = a[a1 + ap], x2 = a[a2 + ap], x3 = a[a3 + ap];
    const y0 = b[b0 + bp], y1 = b[b1 + bp], y2 = b[b2 + bp], y3 = b[b3 + bp];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
  o += n;
  out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13;
  o += n;
  out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23;
  o += n;
  out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
}

/** out[4×1 tile at o, row stride n] = four rows of op(A) from `ai` · the column of op(B) at `bj`. */
const tile4x1: Tile = (a, ai, b, bj, out, o, dims) => {
  const { n, k, ars, acs, brs } = dims;
  const a0 = ai;
  const a1 = a0 + ars;
  const a2 = a1 + ars;
  const a3 = a2 + ars;
  let c0 = 0,
    c1 = 0,
    c2 = 0,
    c3 = 0;
  for (let p = 0, ap = 0, bp = bj; p < k; p++, ap += acs, bp += brs) {
    const y = b[bp];
    c0 += a[a0 + ap] * y;
    c1 += a[a1 + ap] * y;
    c2 += a[a2 + ap] * y;
    c3 += a[a3 + ap] * y;
  }
  out[o] = c0;
  out[o + n] = c1;
  out[o + 2 * n] = c2;
  out[o + 3 * n] = c3;
};

/** out[1×4 tile at o] = the row of op(A) at `ai` · four columns of op(B) from `bj`. */
const tile1x4: Tile = (a, ai, b, bj, out, o, dims) => {
  const { k, acs, brs, bcs } = dims;
  let c0 = 0,
    c1 = 0,
    c2 = 0,
    c3 = 0;
  for (let p = 0, ap = ai, bp = bj; p < k; p++, ap += acs, bp += brs) {
    const x = a[ap];
    c0 += x * b[bp];
    c1 += x * b[bp + bcs];
    c2 += x * b[bp + 2 * bcs];
    c3 += x * b[bp + 3 * bcs];
  }
  out[o] = c0;
  out[o + 1] = c1;
  out[o + 2] = c2;
  out[o + 3] = c3;
};

/** The row of op(A) at `ai` · the column of op(B) at `bj`, summed in a double. */
function dot(a: TypedArray, ai: number, b: TypedArray, bj: number, dims: Dims): number {
  const { k, acs, brs } = dims;
  let s = 0;
  for (let p = 0; p < k; p++, ai += acs, bj += brs) s += a[ai] * b[bj];
  return s;
}

/** Scratch for the packed path, sized once per call and reused across the batch. */
class Workspace {
  /** Columns of the accumulator, n rounded up to a multiple of NR. */
  readonly nPad: number;
  /** The m×n result in doubles (rows and columns padded to whole tiles). */
  readonly c: Float64Array;
  /** A block: ceil(mc/MR) panels, each kc×MR, zero-padded past the last row. */
  readonly ap: Float64Array;
  /** B block: ceil(n/NR) panels, each kc×NR, zero-padded past the last column. */
  readonly bp: Float64Array;

  constructor(m: number, n: number, k: number) {
    const mPad = Math.ceil(m / MR) * MR;
    this.nPad = Math.ceil(n / NR) * NR;
    const kc = Math.min(KC, k);
    this.c = scratchArray('c', mPad * this.nPad);
    this.ap = scratchArray('ap', Math.min(MC, mPad) * kc);
    this.bp = scratchArray('bp', kc * this.nPad);
  }
}

/** One product through packed panels and the 4×4 kernel. */
function packedProduct(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  out: TypedArray,
  oOff: number,
  dims: Dims,
  space: Workspace,
): void {
  const { m, n, k, ars, acs, brs, bcs } = dims;
  const { c, ap, bp, nPad } = space;
  c.fill(0, 0, Math.ceil(m / MR) * MR * nPad);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    packB(b, bOff + p0 * brs, brs, bcs, kc, n, bp);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = Math.min(MC, m - i0);
      packA(a, aOff + i0 * ars + p0 * acs, ars, acs, mc, kc, ap);
      for (let j0 = 0, pb = 0; j0 < n; j0 += NR, pb += kc * NR) {
        for (let r0 = 0, pa = 0; r0 < mc; r0 += MR, pa += kc * MR) {
          kernel4x4(ap, pa, bp, pb, kc, c, (i0 + r0) * nPad + j0, nPad);
        }
      }
    }
  }
  for (let i = 0, o = oOff; i < m; i++) {
    for (let j = 0, ci = i * nPad; j < n; j++, o++, ci++) out[o] = c[ci];
  }
}

/** Packs mc rows × kc columns of op(A), starting at `base`, into MR-row panels (p-major). */
function packA(
  a: TypedArray,
  base: number,
  ars: number,
  acs: number,
  mc: number,
  kc: number,
  ap: Float64Array,
): void {
  for (let i0 = 0, o = 0; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    for (let p = 0; p < kc; p++, o += MR) {
      const at = base + i0 * ars + p * acs;
      let r = 0;
      for (; r < h; r++) ap[o + r] = a[at + r * ars];
      for (; r < MR; r++) ap[o + r] = 0;
    }
  }
}

/** Packs kc rows × n columns of op(B), starting at `base`, into NR-column panels (p-major). */
function packB(
  b: TypedArray,
  base: number,
  brs: number,
  bcs: number,
  kc: number,
  n: number,
  bp: Float64Array,
): void {
  for (let j0 = 0, o = 0; j0 < n; j0 += NR) {
    const w = Math.min(NR, n - j0);
    for (let p = 0; p < kc; p++, o += NR) {
      const at = base + p * brs + j0 * bcs;
      let col = 0;
      for (; col < w; col++) bp[o + col] = b[at + col * bcs];
      for (; col < NR; col++) bp[o + col] = 0;
    }
  }
}

/**
 * c[4×4 tile at co, row stride ldc] += (A panel at pa) · (B panel at pb) over kc steps. The 16
 * sums live in locals for the whole k loop; each step reads 4 values of A and 4 of B.
 */
// prettier-ignore
function kernel4x4(
  ap: Float64Array, pa: number, bp: Float64Array, pb: number, kc: number,
  c: Float64Array, co: number, ldc: number,
): void {
  const o1 = co + ldc;
  const o2 = o1 + ldc;
  const o3 = o2 + ldc;
  let c00 = c[co], c01 = c[co + 1], c02 = c[co + 2], c03 = c[co + 3];
  let c10 = c[o1], c11 = c[o1 + 1], c12 = c[o1 + 2], c13 = c[o1 + 3];
  let c20 = c[o2], c21 = c[o2 + 1], c22 = c[o2 + 2], c23 = c[o2 + 3];
  let c30 = c[o3], c31 = c[o3 + 1], c32 = c[o3 + 2], c33 = c[o3 + 3];
  for (let p = 0; p < kc; p++, pa += MR, pb += NR) {
    const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
    const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03;
  c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
  c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
  c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
}
