import './methods.js';

export {
  abs,
  cast,
  clone,
  cos,
  erf,
  exp,
  isfinite,
  isinf,
  isnan,
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
export {
  acos,
  acosh,
  asin,
  asinh,
  atan,
  atanh,
  ceil,
  cosh,
  exp2,
  expm1,
  floor,
  frac,
  log10,
  log2,
  nanToNum,
  round,
  rsqrt,
  sinh,
  tan,
  trunc,
} from './elementwise-math.js';
export { atan2, copysign, hypot, lerp, logaddexp, xlogy } from './binary-math.js';
export {
  celu,
  elu,
  glu,
  hardsigmoid,
  hardswish,
  hardtanh,
  logsigmoid,
  mish,
  prelu,
  relu6,
  selu,
  silu,
  softmin,
  softsign,
} from './activations.js';
export { argmax, argmin, logSoftmax, logsumexp, max, mean, min, softmax, sum } from './reduce.js';
export { cummax, cummin, cumprod, cumsum, logcumsumexp } from './scan.js';
export { argsort, kthvalue, median, mode, sort, topk, type SortOptions } from './sort.js';
export {
  allclose,
  isclose,
  prod,
  std,
  stdMean,
  variance,
  varMean,
  type CloseOptions,
  type VarianceOptions,
} from './statistics.js';
export {
  cosineSimilarity,
  norm,
  normalize,
  type CosineSimilarityOptions,
  type NormalizeOptions,
  type NormOrder,
} from './vector-norm.js';
export {
  cosineEmbeddingLoss,
  huberLoss,
  klDiv,
  l1Loss,
  smoothL1Loss,
  type KlDivOptions,
} from './losses.js';
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
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention.js';
export { primitives, type PrimitiveName } from './registry.js';
export { indexAdd, scatter, scatterAdd, type ScatterOptions } from './scatter.js';
export { diag, diagEmbed, diagonal, tril, triu } from './shape-diag.js';
export { flip, repeat, repeatInterleave, roll } from './shape-repeat.js';
export {
  chunk,
  empty,
  meshgrid,
  split,
  unbind,
  unflatten,
  type MeshgridOptions,
} from './shape-split.js';
export { maskedFill, maskedSelect, nonzero, take } from './masked.js';
export { index, indexPut, type IndexPutOptions, type IndexSpec } from './advanced-index.js';
export { einsum } from './einsum.js';
