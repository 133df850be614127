import type { Backend } from '../backend.js';
import { binary } from './binary.js';
import { assignStrided, copyStrided } from './copy.js';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing.js';
import { matmul, matmulSum } from './matmul.js';
import { normalize, normalizeBackward } from './norm.js';
import { adagradStep, adamStep, rmspropStep, sgdStep } from './optim.js';
import { argReduce, reduce } from './reduce.js';
import { logSoftmax } from './softmax.js';
import { scan, scanIndex } from './scan.js';
import { sortIndices } from './sort.js';
import { topkIndices } from './topk.js';
import { scatter } from './scatter.js';
import { binaryScalar, powScalarScalar, unaryScalar } from './scalar.js';
import { powScalar, unary } from './unary.js';
import { where } from './where.js';
import { col2im, im2col, maxPool2d } from './window.js';

/**
 * The reference TypeScript backend, named `js`: plain loops over typed arrays, with no
 * dependencies. It is the executable specification of every kernel — a faster backend must give
 * the same answers within floating-point tolerance.
 *
 * Each kernel lives in a small file named for its family: `unary.ts` (unary, powScalar),
 * `binary.ts`, `where.ts`, `reduce.ts` (reduce, argReduce), `copy.ts` (copyStrided,
 * assignStrided), `indexing.ts` (indexSelect, indexAdd, gather, scatterAdd), `matmul.ts`, and
 * `scalar.ts` (unaryScalar, binaryScalar, powScalarScalar: the same functions on one number), and
 * `window.ts` (im2col, col2im, maxPool2d: the sliding windows of convolution and pooling), and
 * `norm.ts` (normalize, normalizeBackward: batch, layer and group norm).
 *
 * @example
 * const out = new Float32Array(3);
 * jsBackend.unary('exp', Float32Array.of(0, 1, 2), out); // out ≈ [1, 2.718, 7.389]
 */
export const jsBackend: Backend = Object.freeze({
  name: 'js',
  unary,
  powScalar,
  unaryScalar,
  binaryScalar,
  powScalarScalar,
  binary,
  where,
  reduce,
  argReduce,
  logSoftmax,
  copyStrided,
  assignStrided,
  indexSelect,
  indexAdd,
  gather,
  scatterAdd,
  scan,
  scanIndex,
  sortIndices,
  topkIndices,
  scatter,
  matmul,
  matmulSum,
  im2col,
  col2im,
  maxPool2d,
  normalize,
  normalizeBackward,
  sgdStep,
  adamStep,
  adagradStep,
  rmspropStep,
});
