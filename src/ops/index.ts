import './methods.js';

export {
  abs,
  cast,
  clone,
  cos,
  erf,
  exp,
  isfinite,
  log,
  log1p,
  neg,
  powScalar,
  relu,
  sigmoid,
  sign,
  sin,
  sqrt,
  step,
  tanh,
} from './elementwise.js';
export {
  add,
  div,
  eq,
  ge,
  gt,
  le,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  pow,
  sub,
  where,
} from './binary.js';
export { clamp, gelu, leakyRelu, oneHot, reciprocal, softplus, square } from './composite.js';
export { argmax, argmin, logSoftmax, logsumexp, max, mean, min, softmax, sum } from './reduce.js';
export { expand, flatten, permute, reshape, squeeze, transpose, unsqueeze } from './shape.js';
export { concat, narrow, select, slice, stack } from './slicing.js';
export { gather, indexSelect } from './indexing.js';
export { matmul } from './matmul.js';
export { primitives, type PrimitiveName } from './registry.js';
