import { gradients } from '../autograd/engine.js';
import { noGrad } from '../autograd/mode.js';
import { LeakyReLU, ReLU, Sigmoid, Step, Tanh } from '../nn/activation.js';
import { Dropout } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import { crossEntropy, mseLoss } from '../ops/loss.js';
import { checkChoice, checkObject, fail } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { checkModule, checkTensor } from '../train/arguments.js';
import { formatNumber } from './dot.js';

/** One layer of an explained MLP, in the lectures' notation (rows are examples). */
export interface ExplainedLayer {
  /** 1-based layer number l. */
  layer: number;
  /** The activation θ after the layer's Linear (`identity` when none). */
  activation: string;
  W: Tensor;
  b: Tensor | null;
  /** s⁽ˡ⁾ = o⁽ˡ⁻¹⁾Wᵀ + b, the layer's input signal. */
  s: Tensor;
  /** o⁽ˡ⁾ = θ(s⁽ˡ⁾), the layer's output. */
  o: Tensor;
  /** θ′(s⁽ˡ⁾). */
  derivative: Tensor;
  /** δ⁽ˡ⁾ = ∂e/∂s⁽ˡ⁾, by the recursion. */
  delta: Tensor;
  /** G⁽ˡ⁾ = δ⁽ˡ⁾ᵀ·o⁽ˡ⁻¹⁾ (summed over the examples), shaped like W. */
  G: Tensor;
  /** Autograd's ∂e/∂W for comparison, and the largest difference. */
  autograd: Tensor;
  maxDifference: number;
}

/** The layer-by-layer backprop of an MLP. */
export interface MlpExplanation {
  loss: 'mse' | 'crossEntropy';
  e: number;
  input: Tensor;
  layers: ExplainedLayer[];
  /** True when every G⁽ˡ⁾ equals autograd's gradient (within 1e-5 relative). */
  agrees: boolean;
}

interface Stage {
  linear: Linear;
  activation: Module | null;
}

function stages(model: Module): Stage[] {
  const layers = model instanceof Sequential ? model.layers : [model];
  const out: Stage[] = [];
  for (const layer of layers) {
    if (layer instanceof Linear) out.push({ linear: layer, activation: null });
    else if (layer instanceof Dropout) continue;
    else if (
      out.length > 0 &&
      out[out.length - 1].activation === null &&
      [ReLU, Tanh, Sigmoid, Step, LeakyReLU].some((c) => layer instanceof c)
    ) {
      out[out.length - 1].activation = layer;
    } else {
      throw new TypeError(
        `explainMlp: needs a Sequential of Linear layers each followed by at most one of ReLU, Tanh, Sigmoid, Step, LeakyReLU; got ${layer.toString()}`,
      );
    }
  }
  if (out.length === 0) throw new TypeError('explainMlp: the model has no Linear layer');
  return out;
}

function activate(a: Module | null, s: Tensor): { o: Tensor; d: Tensor; name: string } {
  if (a === null) return { o: s, d: s.mul(0).add(1), name: 'identity' };
  const o = a.call(s);
  if (a instanceof Tanh) return { o, d: o.mul(o).neg().add(1), name: 'tanh' };
  if (a instanceof Sigmoid) return { o, d: o.mul(o.neg().add(1)), name: 'sigmoid' };
  if (a instanceof ReLU) return { o, d: s.step(), name: 'relu' };
  if (a instanceof LeakyReLU)
    return {
      o,
      d: s
        .step()
        .mul(1 - a.negativeSlope)
        .add(a.negativeSlope),
      name: 'leakyRelu',
    };
  return { o, d: s.mul(0), name: 'step' };
}

/**
 * Backpropagation through an MLP as the lectures write it: the forward pass s⁽ˡ⁾, o⁽ˡ⁾ per layer,
 * the output sensitivity δ⁽ᴸ⁾, the recursion δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾) and the weight
 * gradients G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ — computed by those formulas, not by autograd — and a check that
 * each G⁽ˡ⁾ equals autograd's gradient. The error e is the squared error summed over outputs
 * (`mse`, the lectures' e = Σ(o − y)²) or the cross-entropy of integer labels, over a batch.
 *
 * @example
 * import { explainMlp, explainMlpText } from 'nabla/viz';
 * const net = mlp([2, 3, 1], { activation: 'tanh', outputActivation: 'tanh' });
 * console.log(explainMlpText(explainMlp(net, tensor([[1, -1]]), tensor([[0.5]]))));
 */
export function explainMlp(
  model: Module,
  x: Tensor,
  y: Tensor,
  options: { loss?: 'mse' | 'crossEntropy' } = {},
): MlpExplanation {
  const ctx = { where: 'explainMlp' };
  checkModule(ctx.where, 'model', model);
  checkTensor(ctx.where, 'x', x);
  checkTensor(ctx.where, 'y', y);
  checkObject(ctx, 'options', options);
  const parts = stages(model);
  const loss = checkChoice(
    ctx,
    'loss',
    options.loss ?? (y.dtype === 'int32' ? 'crossEntropy' : 'mse'),
    ['mse', 'crossEntropy'],
  );
  const input = x.ndim === 1 ? x.unsqueeze(0) : x;
  const wasTraining = model.training;
  model.eval();
  try {
    // Forward, recorded, for autograd's answer.
    const signals: Tensor[] = [];
    const outputs: Tensor[] = [input];
    const derivatives: Tensor[] = [];
    const names: string[] = [];
    let o = input;
    for (const { linear, activation } of parts) {
      const s = linear.call(o);
      const a = activate(activation, s);
      signals.push(s);
      outputs.push(a.o);
      derivatives.push(noGrad(() => a.d.detach()));
      names.push(a.name);
      o = a.o;
    }
    const target = loss === 'mse' && y.ndim === 1 && o.ndim === 2 ? y.reshape(o.shape) : y;
    const e =
      loss === 'mse'
        ? mseLoss(o, target, { reduction: 'sum' })
        : crossEntropy(o, target, { reduction: 'sum' });
    const weights = parts.map((p) => p.linear.weight);
    const lastS = signals[signals.length - 1];
    const [dEdSL, ...autograd] = gradients(e, [lastS, ...weights], { retainGraph: true });
    return noGrad(() => {
      // δ⁽ᴸ⁾ = ∂e/∂s⁽ᴸ⁾ (for squared error with θ: 2(o − y) ⊙ θ′(s⁽ᴸ⁾)), then the recursion.
      const deltas: Tensor[] = new Array(parts.length);
      const L = parts.length - 1;
      deltas[L] =
        loss === 'mse'
          ? outputs[L + 1].detach().sub(target).mul(2).mul(derivatives[L])
          : dEdSL.detach();
      for (let l = L - 1; l >= 0; l--)
        deltas[l] = deltas[l + 1].matmul(parts[l + 1].linear.weight.detach()).mul(derivatives[l]);
      const layers: ExplainedLayer[] = parts.map((p, l) => {
        const G = deltas[l].t().matmul(outputs[l].detach());
        const diff = G.sub(autograd[l]).abs().max().item();
        const scale = Math.max(1, autograd[l].abs().max().item());
        return {
          layer: l + 1,
          activation: names[l],
          W: p.linear.weight.detach(),
          b: p.linear.bias?.detach() ?? null,
          s: signals[l].detach(),
          o: outputs[l + 1].detach(),
          derivative: derivatives[l],
          delta: deltas[l],
          G,
          autograd: autograd[l],
          maxDifference: diff / scale,
        };
      });
      return {
        loss,
        e: e.item(),
        input,
        layers,
        agrees: layers.every((l) => l.maxDifference < 1e-5),
      };
    });
  } finally {
    model.train(wasTraining);
  }
}

/** Refuses what {@link explainMlp} did not return, naming explainMlpText. */
function checkMlpExplanation(e: unknown): void {
  const v = e as Partial<MlpExplanation> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    !(v.input instanceof Tensor) ||
    typeof v.e !== 'number' ||
    !Array.isArray(v.layers) ||
    v.layers.length === 0
  ) {
    fail({ where: 'explainMlpText' }, 'the explanation', 'what explainMlp returns', e, TypeError);
  }
}

function matrix(t: Tensor, digits = 4): string {
  const rows = t.ndim === 2 ? t.shape[0] : 1;
  const cols = t.ndim === 2 ? t.shape[1] : t.size;
  const cells: string[][] = [];
  for (let i = 0; i < rows; i++) {
    cells.push(Array.from({ length: cols }, (_, j) => formatNumber(t.data[i * cols + j], digits)));
  }
  const width = Math.max(...cells.flat().map((c) => c.length));
  return cells.map((r) => `  [ ${r.map((c) => c.padStart(width)).join('  ')} ]`).join('\n');
}

/** The layer view as text, with the matrices printed. */
export function explainMlpText(e: MlpExplanation): string {
  checkMlpExplanation(e);
  const lines = [
    `e = ${formatNumber(e.e)} (${e.loss === 'mse' ? 'squared error Σ(o − y)²' : 'cross-entropy'})`,
    '',
    'o⁽⁰⁾ = x',
    matrix(e.input),
  ];
  for (const l of e.layers) {
    lines.push(
      '',
      `layer ${l.layer}: s⁽${l.layer}⁾ = o⁽${l.layer - 1}⁾·W⁽${l.layer}⁾ᵀ + b⁽${l.layer}⁾, o⁽${l.layer}⁾ = ${l.activation}(s⁽${l.layer}⁾)`,
    );
    lines.push(
      `W⁽${l.layer}⁾`,
      matrix(l.W),
      `s⁽${l.layer}⁾`,
      matrix(l.s),
      `o⁽${l.layer}⁾`,
      matrix(l.o),
    );
  }
  const L = e.layers.length;
  lines.push(
    '',
    e.loss === 'mse'
      ? `δ⁽${L}⁾ = 2(o − y) ⊙ θ′(s⁽${L}⁾)`
      : `δ⁽${L}⁾ = softmax(s⁽${L}⁾) − onehot(y)`,
    matrix(e.layers[L - 1].delta),
  );
  for (let i = L - 2; i >= 0; i--) {
    const l = e.layers[i].layer;
    lines.push(`δ⁽${l}⁾ = (W⁽${l + 1}⁾ᵀ δ⁽${l + 1}⁾) ⊙ θ′(s⁽${l}⁾)`, matrix(e.layers[i].delta));
  }
  for (const l of e.layers) {
    lines.push(
      '',
      `G⁽${l.layer}⁾ = δ⁽${l.layer}⁾ o⁽${l.layer - 1}⁾ᵀ`,
      matrix(l.G),
      `autograd's ∂e/∂W⁽${l.layer}⁾ ${l.maxDifference < 1e-5 ? 'agrees' : 'DIFFERS'} (largest difference ${formatNumber(l.maxDifference, 2)})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
