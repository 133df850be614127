import { isFloating } from '../tensor/dtype.js';
import { engine } from '../tensor/state.js';
import type { GradFn, Tensor } from '../tensor/tensor.js';
import { checkFinite, userLocation } from './anomaly.js';

/**
 * A vector-Jacobian product: given the upstream gradient `grad` of an operation's result `out`,
 * returns the gradient for each of its `inputs` (null where none flows). Written with tensor
 * operations, so that running it with the graph recorded gives higher-order gradients.
 */
export type Vjp<A = never> = (
  grad: Tensor,
  inputs: readonly Tensor[],
  out: Tensor,
  attrs: A,
) => readonly (Tensor | null)[];

/** One primitive operation's autograd record: its name and derivative (or none). */
export interface Rule {
  /** The primitive's name (`mul`). */
  readonly op: string;
  /** The graph node's name (`MulBackward`). */
  readonly name: string;
  /** The derivative, or null for an operation that is not differentiable. */
  readonly vjp: Vjp | null;
  /**
   * Why a result of this primitive carries no gradient, for the error a later backward() gives;
   * made once here, so that operations under noGrad allocate nothing for it.
   */
  readonly reasons: { readonly notDifferentiable: string; readonly noGrad: string };
}

/** Marks a primitive as not differentiable in a rule table. */
export const NOT_DIFFERENTIABLE = 'not differentiable' as const;

/** Builds the rules of a family table, naming each node after its primitive. */
export function defineRules<K extends string>(
  table: Record<K, Vjp<never> | typeof NOT_DIFFERENTIABLE>,
): Record<K, Rule> {
  const out = {} as Record<K, Rule>;
  for (const op of Object.keys(table) as K[]) {
    const vjp = table[op];
    out[op] = {
      op,
      name: `${op[0].toUpperCase()}${op.slice(1)}Backward`,
      vjp: vjp === NOT_DIFFERENTIABLE ? null : (vjp as Vjp),
      reasons: {
        notDifferentiable: `${op}, which is not differentiable`,
        noGrad: `${op}, computed while gradients were off (noGrad)`,
      },
    };
  }
  return out;
}

/** The graph node attached to a tensor computed by a differentiable primitive. */
export class Node implements GradFn {
  freed = false;
  /**
   * Set once the rule has run while a graph of the backward pass was built: the nodes recorded
   * then may hold its `attrs.workspace`, which is then never recycled.
   */
  workspaceShared = false;

  constructor(
    readonly rule: Rule,
    readonly inputs: readonly Tensor[],
    readonly attrs: Readonly<Record<string, unknown>> | undefined,
    readonly createdAt: string | undefined,
  ) {}

  get name(): string {
    return this.rule.name;
  }

  get op(): string {
    return this.rule.op;
  }

  /** Runs the derivative rule for the upstream gradient `grad` of `out`. */
  apply(grad: Tensor, out: Tensor): readonly (Tensor | null)[] {
    return (this.rule.vjp as Vjp<unknown>)(grad, this.inputs, out, this.attrs);
  }
}

/**
 * Finishes a primitive's forward pass: checks the result under `detectAnomaly`, and attaches a
 * graph node when recording and an input requires a gradient. Every primitive ends with this.
 */
export function record(
  out: Tensor,
  inputs: readonly Tensor[],
  rule: Rule,
  attrs?: Readonly<Record<string, unknown>>,
): Tensor {
  if (engine.anomaly) checkFinite(out, rule.op, 'forward');
  let needsGrad = false;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].requiresGrad) {
      needsGrad = true;
      break;
    }
  }
  if (!needsGrad) {
    // Keep the reason a gradient cannot flow, so that a later backward() can name it.
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]._nondifferentiable !== undefined) {
        out._nondifferentiable = inputs[i]._nondifferentiable;
        break;
      }
    }
    return out;
  }
  if (rule.vjp === null) {
    out._nondifferentiable = rule.reasons.notDifferentiable;
  } else if (!isFloating(out.dtype)) {
    out._nondifferentiable = `${rule.op}, whose result is ${out.dtype} (only floating-point results carry gradients)`;
  } else if (!engine.gradEnabled) {
    out._nondifferentiable = rule.reasons.noGrad;
  } else {
    out.gradFn = new Node(rule, inputs, attrs, engine.anomaly ? userLocation() : undefined);
  }
  return out;
}
