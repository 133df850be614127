import type { Rule } from '../autograd/node.js';
import { binaryDerivatives, binaryRules } from './binary.js';
import { convDerivatives, convRules } from './conv-rules.js';
import { unaryDerivatives, unaryRules } from './elementwise.js';
import type { Formulas } from './formula.js';
import { fusedGradDerivatives, fusedGradRules } from './fused-grads.js';
import { indexingDerivatives, indexingRules } from './indexing.js';
import { integerDerivatives, integerRules } from './integer.js';
import { logicalDerivatives, logicalRules } from './logical.js';
import { matmulDerivatives, matmulRules } from './matmul.js';
import { normDerivatives, normRules } from './norm-rules.js';
import { padDerivatives, padRules } from './pad.js';
import { poolDerivatives, poolRules } from './pool.js';
import { reduceDerivatives, reduceRules } from './reduce.js';
import { shapeDerivatives, shapeRules } from './shape.js';
import { slicingDerivatives, slicingRules } from './slicing.js';
import { unfoldDerivatives, unfoldRules } from './unfold.js';

/** Every primitive operation nabla has. Everything else in the API is composed of these. */
export type PrimitiveName =
  | keyof typeof unaryRules
  | keyof typeof binaryRules
  | keyof typeof fusedGradRules
  | keyof typeof reduceRules
  | keyof typeof shapeRules
  | keyof typeof slicingRules
  | keyof typeof indexingRules
  | keyof typeof matmulRules
  | keyof typeof unfoldRules
  | keyof typeof convRules
  | keyof typeof poolRules
  | keyof typeof padRules
  | keyof typeof normRules
  | keyof typeof logicalRules
  | keyof typeof integerRules;

/**
 * The rule of every primitive, by name: a derivative, or the explicit mark that it has none
 * (`vjp: null`). Each family file owns its rows; this table is where they meet.
 */
export const primitives: Readonly<Record<PrimitiveName, Rule>> = {
  ...unaryRules,
  ...binaryRules,
  ...fusedGradRules,
  ...reduceRules,
  ...shapeRules,
  ...slicingRules,
  ...indexingRules,
  ...matmulRules,
  ...unfoldRules,
  ...convRules,
  ...poolRules,
  ...padRules,
  ...normRules,
  ...logicalRules,
  ...integerRules,
};

/**
 * How the explanations write the local derivative of each primitive, as each family file states it
 * beside its rules (`viz/derivatives.ts` reads it).
 */
export const derivatives: Readonly<Formulas<PrimitiveName>> = {
  ...unaryDerivatives,
  ...binaryDerivatives,
  ...fusedGradDerivatives,
  ...reduceDerivatives,
  ...shapeDerivatives,
  ...slicingDerivatives,
  ...indexingDerivatives,
  ...matmulDerivatives,
  ...unfoldDerivatives,
  ...convDerivatives,
  ...poolDerivatives,
  ...padDerivatives,
  ...normDerivatives,
  ...logicalDerivatives,
  ...integerDerivatives,
};
