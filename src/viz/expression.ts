/**
 * Scalar expressions such as `(x + y) * z` or `1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))`: a parser to
 * a small syntax tree that remembers where each part came from in the source, and an evaluator
 * that builds the computation out of nabla's differentiable operations, so that it can be
 * backpropagated, traced, explained and drawn. Browser-safe.
 *
 * The parts live in `expression/`: the tree (`syntax.ts`), its error (`error.ts`), the lexer
 * (`tokenize.ts`), the parser (`parse.ts`), the evaluator (`evaluate.ts`) and the printer
 * (`format.ts`).
 *
 * @module
 */
export {
  EXPRESSION_FUNCTIONS,
  variables,
  type BinaryExpr,
  type BinaryOperator,
  type CallExpr,
  type Expr,
  type FunctionName,
  type NumberExpr,
  type Span,
  type UnaryExpr,
  type VariableExpr,
} from './expression/syntax.js';
export { ExpressionError } from './expression/error.js';
export { parseExpression } from './expression/parse.js';
export {
  evaluateExpression,
  type EvaluateExpressionOptions,
  type EvaluatedExpression,
} from './expression/evaluate.js';
export { formatExpression } from './expression/format.js';
