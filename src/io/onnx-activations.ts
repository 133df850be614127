/**
 * The activation modules as ONNX nodes: one operator where ONNX has it with PyTorch's meaning,
 * else the same formula from a few operators (GELU through Erf, SiLU as x·σ(x), …).
 *
 * @module
 */
import type { OnnxGraph } from './onnx-graph.js';

/** A module's configuration as `toConfig()` wrote it. */
export type LayerConfig = Readonly<Record<string, unknown>>;

/** Writes a layer's nodes for input `x`; returns the name of its output. */
export type ActivationWriter = (g: OnnxGraph, x: string, c: LayerConfig) => string;

const num = (c: LayerConfig, key: string): number => c[key] as number;
const scalar = (g: OnnxGraph, hint: string, v: number): string => g.floats(hint, [], [v]);

/** PyTorch's SELU constants (torch.nn.SELU). */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

function gelu(g: OnnxGraph, x: string, c: LayerConfig): string {
  const half = scalar(g, 'half', 0.5);
  const one = scalar(g, 'one', 1);
  let inner: string;
  if (c.approximate === 'tanh') {
    // tanh(√(2/π)·(x + 0.044715·x³))
    const cube = g.node('Mul', [g.node('Mul', [x, x]), x]);
    const sum = g.node('Add', [x, g.node('Mul', [cube, scalar(g, 'gelu_c', 0.044715)])]);
    inner = g.node('Tanh', [g.node('Mul', [sum, scalar(g, 'gelu_k', Math.sqrt(2 / Math.PI))])]);
  } else {
    inner = g.node('Erf', [g.node('Div', [x, scalar(g, 'sqrt2', Math.SQRT2)])]);
  }
  return g.node('Mul', [g.node('Mul', [x, half]), g.node('Add', [inner, one])]);
}

function softplus(g: OnnxGraph, x: string, c: LayerConfig): string {
  const beta = num(c, 'beta');
  if (beta === 1) return g.node('Softplus', [x]);
  const b = scalar(g, 'beta', beta);
  return g.node('Div', [g.node('Softplus', [g.node('Mul', [x, b])]), b]);
}

const clip = (g: OnnxGraph, x: string, lo: number, hi: number): string =>
  g.node('Clip', [x, scalar(g, 'min', lo), scalar(g, 'max', hi)]);

/** The activation modules by their `toConfig()` type. */
export const ACTIVATIONS: Readonly<Record<string, ActivationWriter>> = {
  ReLU: (g, x) => g.node('Relu', [x]),
  Tanh: (g, x) => g.node('Tanh', [x]),
  Sigmoid: (g, x) => g.node('Sigmoid', [x]),
  LeakyReLU: (g, x, c) => g.node('LeakyRelu', [x], { alpha: { float: num(c, 'negativeSlope') } }),
  GELU: gelu,
  Softmax: (g, x, c) => g.node('Softmax', [x], { axis: { int: num(c, 'dim') } }),
  LogSoftmax: (g, x, c) => g.node('LogSoftmax', [x], { axis: { int: num(c, 'dim') } }),
  Softmin: (g, x, c) => g.node('Softmax', [g.node('Neg', [x])], { axis: { int: num(c, 'dim') } }),
  ELU: (g, x, c) => g.node('Elu', [x], { alpha: { float: num(c, 'alpha') } }),
  CELU: (g, x, c) => g.node('Celu', [x], { alpha: { float: num(c, 'alpha') } }),
  SELU: (g, x) =>
    g.node('Selu', [x], { alpha: { float: SELU_ALPHA }, gamma: { float: SELU_SCALE } }),
  SiLU: (g, x) => g.node('Mul', [x, g.node('Sigmoid', [x])]),
  Mish: (g, x) => g.node('Mul', [x, g.node('Tanh', [g.node('Softplus', [x])])]),
  Softplus: softplus,
  Softsign: (g, x) => g.node('Softsign', [x]),
  LogSigmoid: (g, x) => g.node('Neg', [g.node('Softplus', [g.node('Neg', [x])])]),
  Hardtanh: (g, x, c) => clip(g, x, num(c, 'minVal'), num(c, 'maxVal')),
  ReLU6: (g, x) => clip(g, x, 0, 6),
  Hardsigmoid: (g, x) =>
    g.node('HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }),
  Hardswish: (g, x) => g.node('HardSwish', [x]),
  Step: (g, x) =>
    g.node('Cast', [g.node('Greater', [x, scalar(g, 'zero', 0)])], { to: { int: g.elemType } }),
};
