import type { TypedArray } from '../../tensor/dtype.js';

/** Rows and columns of the register tile the packed kernel computes at once. */
const MR = 4;
const NR = 4;
/** Depth of one packed block: a KC×NR panel of B (8 KiB) stays in L1 while A panels stream by. */
const KC = 256;
/** Rows of A packed per block (MC×KC doubles, 256 KiB, meant to stay in L2). */
const MC = 128;
/**
 * Products with m, n and k all at least this use the packed path (measured faster from 4×4×4
 * up); thinner ones — matrix-vector products, outer products — use direct loops.
 */
const PACK_MIN = 4;

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
export function matmul(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  aBatchStride: number,
  bBatchStride: number,
): void {
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
  if (m >= PACK_MIN && n >= PACK_MIN && k >= PACK_MIN) {
    const space = new Workspace(m, n, k);
    for (let t = 0; t < batch; t++) {
      packedProduct(a, t * aBatchStride, b, t * bBatchStride, out, t * mn, dims, space);
    }
  } else {
    const row = new Float64Array(n);
    for (let t = 0; t < batch; t++) {
      directProduct(a, t * aBatchStride, b, t * bBatchStride, out, t * mn, dims, row);
    }
  }
}

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

/** One product with plain loops; `row` is scratch of length n. */
function directProduct(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  out: TypedArray,
  oOff: number,
  dims: Dims,
  row: Float64Array,
): void {
  const { m, n, k, ars, acs, bcs } = dims;
  if (bcs === 1) {
    // i-k-j: for each row i, add a[i][p]·(row p of B) into a double accumulator row.
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0, ai = aOff + i * ars; p < k; p++, ai += acs) {
        const aip = a[ai];
        for (let j = 0, bj = bOff + p * n; j < n; j++, bj++) row[j] += aip * b[bj];
      }
      const o = oOff + i * n;
      for (let j = 0; j < n; j++) out[o + j] = row[j];
    }
    return;
  }
  // i-j-k: B stored n×k, so column j of op(B) is contiguous; each output is one dot product.
  for (let i = 0, o = oOff; i < m; i++) {
    const ai0 = aOff + i * ars;
    for (let j = 0; j < n; j++, o++) {
      let s = 0;
      for (let p = 0, ai = ai0, bj = bOff + j * k; p < k; p++, ai += acs, bj++) s += a[ai] * b[bj];
      out[o] = s;
    }
  }
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
    this.c = new Float64Array(mPad * this.nPad);
    this.ap = new Float64Array(Math.min(MC, mPad) * kc);
    this.bp = new Float64Array(kc * this.nPad);
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
  c.fill(0);
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
