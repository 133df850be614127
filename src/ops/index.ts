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
export { all, any, logicalAnd, logicalNot, logicalOr, logicalXor } from './logical.js';
export {
  bitwiseAnd,
  bitwiseLeftShift,
  bitwiseNot,
  bitwiseOr,
  bitwiseRightShift,
  bitwiseXor,
  floorDivide,
  fmod,
  remainder,
} from './integer.js';
export {
  conv1d,
  conv2d,
  convTranspose2d,
  type Conv1dOptions,
  type Conv2dOptions,
  type ConvPadding,
  type ConvTranspose2dOptions,
} from './conv.js';
export { fold, unfold, type UnfoldOptions } from './unfold.js';
export {
  batchNorm,
  groupNorm,
  layerNorm,
  type BatchNormOpOptions,
  type NormOpOptions,
} from './norm.js';
export { maxPool2d, type MaxPool2dOptions } from './pool.js';
export { adaptiveAvgPool2d, avgPool2d, type AvgPool2dOptions } from './pool-avg.js';
export { pad, type PadOptions } from './pad.js';
export { interpolate, type InterpolateOptions } from './interpolate.js';
export { primitives, type PrimitiveName } from './registry.js';
