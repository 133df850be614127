/**
 * What pictures show in place of a fused primitive: `linearActivation` (a Linear layer and its
 * activation, as `Sequential` runs them) traced as the two operations a lecture draws, `linear`
 * then the activation. The stand-ins are real tensors with real graph nodes, computed again from
 * the fused node's inputs by the same kernels (so with the same bits); `trace` walks them instead
 * of the fused tensor and takes their gradients from the fused one's.
 */
import { enableGrad } from '../autograd/mode.js';
import type { Node } from '../autograd/node.js';
import { linear, type FusedActivation } from '../ops/matmul.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Fused tensor → its stand-in (the activation's result), kept while the fused tensor lives: traces
 * of one graph (the playground traces once to name the nodes, then `explain` traces again) see the
 * same stand-ins.
 */
const standIns = new WeakMap<Tensor, Tensor>();
/** Stand-in → the fused tensor it stands for. */
const fusedOf = new WeakMap<Tensor, Tensor>();
/** The `linear` results inside the stand-ins. */
const inner = new WeakSet<Tensor>();

/** One trace's view of a graph with its fused primitives replaced by stand-ins. */
export class Unfused {
  /** The stand-ins this trace met. */
  private readonly met = new Set<Tensor>();

  /** `t`, or the stand-in for it when it is the result of a fused primitive. */
  of(t: Tensor): Tensor {
    const fn = t.gradFn as Node | null;
    if (fn?.op !== 'linearActivation') return t;
    let standIn = standIns.get(t);
    if (standIn === undefined) {
      const [x, w, b] = fn.inputs;
      const activation = fn.attrs?.activation as FusedActivation;
      standIn = enableGrad(() => linear(x, w, b)[activation]());
      standIns.set(t, standIn);
      fusedOf.set(standIn, t);
      inner.add((standIn.gradFn as Node).inputs[0]);
    }
    this.met.add(standIn);
    return standIn;
  }

  /** The inputs of `t`'s operation, stand-ins for fused ones. */
  inputsOf(t: Tensor): Tensor[] {
    return ((t.gradFn as Node | null)?.inputs ?? []).map((x) => this.of(x));
  }

  /**
   * The tensor of the real graph behind `t`: the fused one for a stand-in, undefined for the
   * `linear` result inside one (only the stand-in's graph holds it), else `t` itself.
   */
  real(t: Tensor): Tensor | undefined {
    return inner.has(t) ? undefined : (fusedOf.get(t) ?? t);
  }

  /** Each stand-in this trace met, with the `linear` result inside it. */
  *pairs(): Generator<[Tensor, Tensor]> {
    for (const standIn of this.met) yield [standIn, (standIn.gradFn as Node).inputs[0]];
  }
}
