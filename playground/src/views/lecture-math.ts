/**
 * The numbers of the inspector's lecture view, without the DOM (the tests run them in Node and check
 * them against autograd): one example through the network as the lectures write it — per layer
 * s⁽ˡ⁾ = W⁽ˡ⁾o⁽ˡ⁻¹⁾ + b⁽ˡ⁾ and o⁽ˡ⁾ = θ(s⁽ˡ⁾); the loss as one node with its δ⁽ᴸ⁾; then backwards
 * δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾) and G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ — computed by those formulas with
 * nabla's tensors, not by autograd. Also which training point has a gradient worth looking at.
 */
import {
  Dropout,
  Linear,
  ReLU,
  Sequential,
  Sigmoid,
  Step,
  Tanh,
  noGrad,
  tensor,
  type Module,
  type Tensor,
} from 'nabla';
import type { PointSet } from '../data.js';
import { featureRows } from '../features.js';
import { classCount, type Settings } from '../settings.js';
import { inputFeatures } from '../trainer.js';

/** The activations the lecture view writes θ for (the output layer has none: the loss takes s⁽ᴸ⁾). */
export type Theta = 'tanh' | 'relu' | 'sigmoid' | 'step' | 'identity';

/** One layer l: its forward values, θ′, and the backward pass's δ⁽ˡ⁾ and G⁽ˡ⁾. */
export interface LectureLayer {
  /** 1-based, as in W⁽¹⁾. */
  l: number;
  theta: Theta;
  /** The parameters' own names (`0.weight`, `0.bias`), for a small hint and the tests. */
  weightName: string;
  biasName: string;
  /** Neurons of this layer and of the one before (W⁽ˡ⁾ is neurons × inputs). */
  neurons: number;
  inputs: number;
  s: Float32Array;
  o: Float32Array;
  /** θ′(s⁽ˡ⁾). */
  thetaPrime: Float32Array;
  /** δ⁽ˡ⁾ = ∂L/∂s⁽ˡ⁾, which is also ∂L/∂b⁽ˡ⁾. */
  delta: Float32Array;
  /** G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ = ∂L/∂W⁽ˡ⁾, row-major, neurons × inputs. */
  G: Float32Array;
}

/** The loss node: what it computes from s⁽ᴸ⁾, its value, and its δ⁽ᴸ⁾ in the lectures' words. */
export interface LectureLoss {
  kind: 'crossEntropy' | 'softmaxSquared' | 'squared';
  /** `L = −log p_y`, … */
  formula: string;
  /** `δ⁽ᴸ⁾ = p − y`, … */
  deltaFormula: string;
  value: number;
  /** p = softmax(s⁽ᴸ⁾) for classes, ŷ = s⁽ᴸ⁾ in regression. */
  p: Float32Array;
  /** The one-hot label, or the target. */
  y: Float32Array;
}

export interface LectureBackprop {
  x: Float32Array;
  layers: LectureLayer[];
  loss: LectureLoss;
}

interface Stage {
  linear: Linear;
  theta: Theta;
  activation?: Module;
  index: number;
}

/** The network's layers as (Linear, θ) pairs, with each Linear's index in the Sequential. */
function stages(model: Module): Stage[] {
  const layers = model instanceof Sequential ? model.layers : [model];
  const out: Stage[] = [];
  layers.forEach((layer, index) => {
    if (layer instanceof Linear) out.push({ linear: layer, theta: 'identity', index });
    else if (layer instanceof Dropout) return;
    else if (out.length > 0 && out[out.length - 1].theta === 'identity') {
      const theta =
        layer instanceof Tanh
          ? 'tanh'
          : layer instanceof ReLU
            ? 'relu'
            : layer instanceof Sigmoid
              ? 'sigmoid'
              : layer instanceof Step
                ? 'step'
                : undefined;
      if (theta === undefined)
        throw new TypeError(`the lecture view cannot write θ for ${layer.toString()}`);
      out[out.length - 1].theta = theta;
      out[out.length - 1].activation = layer;
    } else throw new TypeError(`the lecture view needs Linear layers, got ${layer.toString()}`);
  });
  if (out.length === 0) throw new TypeError('the network has no Linear layer');
  return out;
}

/** θ′(s) from s and o = θ(s), as the lectures write each one. */
function thetaPrime(theta: Theta, s: Tensor, o: Tensor): Tensor {
  if (theta === 'tanh') return o.mul(o).neg().add(1); // 1 − tanh²(s)
  if (theta === 'sigmoid') return o.mul(o.neg().add(1)); // σ(s)(1 − σ(s))
  if (theta === 'relu') return s.step(); // 1 if s > 0, else 0
  if (theta === 'step') return s.mul(0); // 0 everywhere
  return s.mul(0).add(1);
}

/** The loss node on s⁽ᴸ⁾ and its δ⁽ᴸ⁾ = ∂L/∂s⁽ᴸ⁾, for the loss the settings train with. */
function lossNode(s: Settings, sL: Tensor, label: number): { loss: LectureLoss; delta: Tensor } {
  if (s.mode === 'regression') {
    const y = tensor([[label]]);
    const diff = sL.sub(y);
    return {
      loss: {
        kind: 'squared',
        formula: 'L = (ŷ − y)², ŷ = s⁽ᴸ⁾',
        deltaFormula: 'δ⁽ᴸ⁾ = 2(ŷ − y)',
        value: diff.mul(diff).sum().item(),
        p: Float32Array.from(sL.data),
        y: Float32Array.from(y.data),
      },
      delta: diff.mul(2),
    };
  }
  const C = classCount(s);
  const oneHot = new Float32Array(C);
  oneHot[label] = 1;
  const y = tensor([Array.from(oneHot)]);
  const logP = sL.logSoftmax(-1);
  const p = logP.exp();
  if (s.loss === 'crossEntropy')
    return {
      loss: {
        kind: 'crossEntropy',
        formula: 'L = −log p_y, p = softmax(s⁽ᴸ⁾)',
        deltaFormula: 'δ⁽ᴸ⁾ = p − y',
        value: -logP.data[label],
        p: Float32Array.from(p.data),
        y: oneHot,
      },
      delta: p.sub(y),
    };
  // squared error of the probabilities, mean over the C outputs: through the softmax's Jacobian
  const g = p.sub(y).mul(2 / C);
  const diff = p.sub(y);
  return {
    loss: {
      kind: 'softmaxSquared',
      formula: `L = ¹⁄${C} Σ(p − y)², p = softmax(s⁽ᴸ⁾)`,
      deltaFormula: `δ⁽ᴸ⁾ = p ⊙ (g − pᵀg), g = ²⁄${C}(p − y)`,
      value: diff.mul(diff).sum().item() / C,
      p: Float32Array.from(p.data),
      y: oneHot,
    },
    delta: p.mul(g.sub(p.mul(g).sum(-1, true))),
  };
}

/**
 * One example's backprop as the lectures write it, from the model's current weights (eval mode: no
 * dropout). `features` are the network's inputs, `label` the class or the regression target.
 */
export function lectureBackprop(
  model: Module,
  s: Settings,
  features: readonly number[],
  label: number,
): LectureBackprop {
  const parts = stages(model);
  return noGrad(() => {
    const x = tensor([Array.from(features)]);
    const outputs: Tensor[] = [x];
    const signals: Tensor[] = [];
    const primes: Tensor[] = [];
    for (const p of parts) {
      const sl = p.linear.call(outputs[outputs.length - 1]);
      const ol = p.activation === undefined ? sl : p.activation.call(sl);
      signals.push(sl);
      outputs.push(ol);
      primes.push(thetaPrime(p.theta, sl, ol));
    }
    const L = parts.length - 1;
    const { loss, delta } = lossNode(s, signals[L], label);
    const deltas: Tensor[] = new Array<Tensor>(parts.length);
    deltas[L] = delta;
    // δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾); rows are examples, so W⁽ˡ⁺¹⁾ᵀδ is the row δ·W
    for (let l = L - 1; l >= 0; l--)
      deltas[l] = deltas[l + 1].matmul(parts[l + 1].linear.weight).mul(primes[l]);
    const layers = parts.map((p, l): LectureLayer => {
      const W = p.linear.weight;
      return {
        l: l + 1,
        theta: p.theta,
        weightName: `${p.index}.weight`,
        biasName: `${p.index}.bias`,
        neurons: W.shape[0],
        inputs: W.shape[1],
        s: Float32Array.from(signals[l].data),
        o: Float32Array.from(outputs[l + 1].data),
        thetaPrime: Float32Array.from(primes[l].data),
        delta: Float32Array.from(deltas[l].data),
        // G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ, the outer product
        G: Float32Array.from(deltas[l].t().matmul(outputs[l]).data),
      };
    });
    return { x: Float32Array.from(x.data), layers, loss };
  });
}

/**
 * The training point whose gradient is most visible: for classes, the one nearest the boundary
 * (smallest |p_y − max other p|; a misclassified one first), in regression the largest error.
 * Returns its index in `train`, or −1 when there are none.
 */
export function suggestPoint(model: Module, s: Settings, train: PointSet): number {
  const labels = train.labels;
  const n = labels.length;
  if (n === 0) return -1;
  const features = inputFeatures(s);
  const rows = featureRows(train.points, features);
  const out = noGrad(() => {
    const logits = model.call(tensor(rows).reshape([n, features.length]));
    return s.mode === 'regression' ? logits : logits.softmax(-1);
  });
  const C = out.shape[1];
  const v = out.data;
  let best = 0;
  let bestScore = Infinity;
  for (let i = 0; i < n; i++) {
    let score: number;
    if (s.mode === 'regression') score = -Math.abs(v[i] - labels[i]);
    else {
      const py = v[i * C + labels[i]];
      let other = 0;
      for (let c = 0; c < C; c++) if (c !== labels[i]) other = Math.max(other, v[i * C + c]);
      const margin = py - other;
      // misclassified points (margin < 0) before the rest, each group by nearness to the boundary
      score = margin < 0 ? -1 + Math.abs(margin) / 2 : margin;
    }
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/**
 * The training point drawn nearest the pixel (px, py), within `radius` pixels: its index, or −1.
 * `toPixel` places a point of the plane on the canvas.
 */
export function nearestPoint(
  train: PointSet,
  toPixel: (x: number, y: number) => { x: number; y: number },
  px: number,
  py: number,
  radius = 12,
): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < train.labels.length; i++) {
    const q = toPixel(train.points[2 * i], train.points[2 * i + 1]);
    const d = (q.x - px) ** 2 + (q.y - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
