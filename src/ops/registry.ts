import type { Rule } from '../autograd/node.js';
import { binaryDerivatives, binaryRules } from './binary.js';
import { mathBinaryDerivatives, mathBinaryRules } from './binary-math.js';
import { mathUnaryDerivatives, mathUnaryRules } from './elementwise-math.js';
import { convDerivatives, convRules } from './conv-rules.js';
import { crossEntropyDerivatives, crossEntropyRules } from './cross-entropy.js';
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
import { scanDerivatives, scanRules } from './scan.js';
import { scatterDerivatives, scatterRules } from './scatter.js';
import { diagonalDerivatives, diagonalRules } from './shape-diag.js';
import { shapeDerivatives, shapeRules } from './shape.js';
import { slicingDerivatives, slicingRules } from './slicing.js';
import { unfoldDerivatives, unfoldRules } from './unfold.js';

/** Every primitive operation nabla has. Everything else in the API is composed of these. */
export type PrimitiveName =
  | keyof typeof unaryRules
  | keyof typeof binaryRules
  | keyof typeof mathUnaryRules
  | keyof typeof mathBinaryRules
  | keyof typeof fusedGradRules
  | keyof typeof reduceRules
  | keyof typeof scanRules
  | keyof typeof shapeRules
  | keyof typeof slicingRules
  | keyof typeof indexingRules
  | keyof typeof matmulRules
  | keyof typeof unfoldRules
  | keyof typeof convRules
  | keyof typeof poolRules
  | keyof typeof padRules
  | keyof typeof normRules
  | keyof typeof crossEntropyRules
  | keyof typeof scatterRules
  | keyof typeof diagonalRules
  | keyof typeof logicalRules
  | keyof typeof integerRules;

/**
 * The rule of every primitive, by name: a derivative, or the explicit mark that it has none
 * (`vjp: null`). Each family file owns its rows; this table is where they meet.
 */
export const primitives: Readonly<Record<PrimitiveName, Rule>> = {
  ...unaryRules,
  ...binaryRules,
  ...mathUnaryRules,
  ...mathBinaryRules,
  ...fusedGradRules,
  ...reduceRules,
  ...scanRules,
  ...shapeRules,
  ...slicingRules,
  ...indexingRules,
  ...matmulRules,
  ...unfoldRules,
  ...convRules,
  ...poolRules,
  ...padRules,
  ...normRules,
  ...crossEntropyRules,
  ...scatterRules,
  ...diagonalRules,
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
  ...mathUnaryDerivatives,
  ...mathBinaryDerivatives,
  ...fusedGradDerivatives,
  ...reduceDerivatives,
  ...scanDerivatives,
  ...shapeDerivatives,
  ...slicingDerivatives,
  ...indexingDerivatives,
  ...matmulDerivatives,
  ...unfoldDerivatives,
  ...convDerivatives,
  ...poolDerivatives,
  ...padDerivatives,
  ...normDerivatives,
  ...crossEntropyDerivatives,
  ...scatterDerivatives,
  ...diagonalDerivatives,
  ...logicalDerivatives,
  ...integerDerivatives,
};
