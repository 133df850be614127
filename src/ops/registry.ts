import type { Rule } from '../autograd/node.js';
import { binaryRules } from './binary.js';
import { unaryRules } from './elementwise.js';
import { indexingRules } from './indexing.js';
import { matmulRules } from './matmul.js';
import { reduceRules } from './reduce.js';
import { shapeRules } from './shape.js';

/** Every primitive operation nabla has. Everything else in the API is composed of these. */
export type PrimitiveName =
  | keyof typeof unaryRules
  | keyof typeof binaryRules
  | keyof typeof reduceRules
  | keyof typeof shapeRules
  | keyof typeof indexingRules
  | keyof typeof matmulRules;

/**
 * The rule of every primitive, by name: a derivative, or the explicit mark that it has none
 * (`vjp: null`). Each family file owns its rows; this table is where they meet.
 */
export const primitives: Readonly<Record<PrimitiveName, Rule>> = {
  ...unaryRules,
  ...binaryRules,
  ...reduceRules,
  ...shapeRules,
  ...indexingRules,
  ...matmulRules,
};
