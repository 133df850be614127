import { backward } from '../autograd/engine.js';
import { installTensorMethods, type TensorMethods } from '../tensor/methods.js';
import * as binary from './binary.js';
import * as composite from './composite.js';
import * as unary from './elementwise.js';
import * as indexing from './indexing.js';
import * as integer from './integer.js';
import * as logical from './logical.js';
import * as slicing from './slicing.js';
import { matmul } from './matmul.js';
import * as reduce from './reduce.js';
import * as shape from './shape.js';

/** The implementations behind the `Tensor` methods, installed once when the library loads. */
const methods: TensorMethods = {
  add: binary.add,
  sub: binary.sub,
  mul: binary.mul,
  div: binary.div,
  pow: binary.pow,
  maximum: binary.maximum,
  minimum: binary.minimum,
  neg: unary.neg,
  exp: unary.exp,
  log: unary.log,
  log1p: unary.log1p,
  sqrt: unary.sqrt,
  abs: unary.abs,
  sign: unary.sign,
  tanh: unary.tanh,
  sigmoid: unary.sigmoid,
  relu: unary.relu,
  leakyRelu: composite.leakyRelu,
  softplus: composite.softplus,
  step: unary.step,
  sin: unary.sin,
  cos: unary.cos,
  square: composite.square,
  reciprocal: composite.reciprocal,
  clamp: composite.clamp,
  eq: binary.eq,
  ne: binary.ne,
  lt: binary.lt,
  le: binary.le,
  gt: binary.gt,
  ge: binary.ge,
  isfinite: unary.isfinite,
  where: (self, condition, other) => binary.where(condition, self, other),
  to: unary.cast,
  matmul,
  transpose: shape.transpose,
  permute: shape.permute,
  reshape: shape.reshape,
  flatten: shape.flatten,
  squeeze: shape.squeeze,
  unsqueeze: shape.unsqueeze,
  expand: shape.expand,
  slice: slicing.slice,
  select: slicing.select,
  narrow: slicing.narrow,
  indexSelect: indexing.indexSelect,
  gather: indexing.gather,
  sum: reduce.sum,
  mean: reduce.mean,
  max: reduce.max,
  min: reduce.min,
  logsumexp: reduce.logsumexp,
  softmax: reduce.softmax,
  logSoftmax: reduce.logSoftmax,
  argmax: reduce.argmax,
  argmin: reduce.argmin,
  clone: unary.clone,
  logicalNot: logical.logicalNot,
  logicalAnd: logical.logicalAnd,
  logicalOr: logical.logicalOr,
  logicalXor: logical.logicalXor,
  any: logical.any,
  all: logical.all,
  remainder: integer.remainder,
  fmod: integer.fmod,
  floorDivide: integer.floorDivide,
  bitwiseAnd: integer.bitwiseAnd,
  bitwiseOr: integer.bitwiseOr,
  bitwiseXor: integer.bitwiseXor,
  bitwiseNot: integer.bitwiseNot,
  bitwiseLeftShift: integer.bitwiseLeftShift,
  bitwiseRightShift: integer.bitwiseRightShift,
  backward,
};

installTensorMethods(methods);
