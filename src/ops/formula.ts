import type { Tensor } from '../tensor/tensor.js';

/**
 * How the explanations (`viz/derivatives.ts`, `nabla explain`) write a primitive's local
 * derivative. Each family file keeps a table of these beside its table of rules, keyed by the
 * same primitive names, so that a rule and the formula that describes it are edited together.
 */

/** How the local derivative of one primitive with respect to one input reads. */
export interface Derivative {
  /** The local derivative as a formula, e.g. `∂f/∂q = z`. */
  formula: string;
  /** How the downstream gradient is computed, where it is not upstream × local element by element. */
  rule?: string;
  /** The value the formula names as the local derivative, where the default (the gradient an upstream of ones sends) would not be it. */
  local?: (inputs: readonly Tensor[], out: Tensor) => Tensor;
}

/** What a derivative formula refers to: the operation's display name, its inputs' names, which input, its attributes. */
export interface FormulaContext {
  /** The operation's display name (`f`, `q1`). */
  self: string;
  /** The inputs' display names. */
  a: string[];
  /** Which input the derivative is taken with respect to. */
  i: number;
  /** That input's name, `a[i]`. */
  x: string;
  /** The left side, `∂self/∂x`. */
  wrt: string;
  /** The other input's name, `a[1 − i]`, for binary operations. */
  other: string;
  /** The node's attributes (e.g. the exponent of `powScalar`). */
  attrs: Readonly<Record<string, unknown>>;
  /** Writes a number as the pictures do. */
  num: (v: number) => string;
}

/**
 * The derivative text of each primitive of a family; `null` for those that are not
 * differentiable (they never appear in a backward pass).
 */
export type Formulas<K extends string> = Record<K, ((c: FormulaContext) => Derivative) | null>;
