/**
 * The evaluator of scalar expressions: a syntax tree to a computation made of nabla's
 * differentiable operations, so that it can be backpropagated, traced, explained and drawn.
 *
 * @module
 */
import { add, div, maximum, minimum, mul, pow, sub } from '../../ops/index.js';
import { checkObject, fail, formatValue } from '../../tensor/check.js';
import { scalar } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { ExpressionError } from './error.js';
import {
  checkExpr,
  firstUse,
  variables,
  type BinaryExpr,
  type CallExpr,
  type Expr,
} from './syntax.js';

/** Options of {@link evaluateExpression}. */
export interface EvaluateExpressionOptions {
  /** The dtype of the leaves made from numbers and of constant-only results (default float64). */
  dtype?: 'float64' | 'float32';
  /**
   * The text the tree was parsed from; when given, an error about a variable without a value
   * shows it with a caret under the variable's first use.
   */
  source?: string;
}

/** What {@link evaluateExpression} built. */
export interface EvaluatedExpression {
  /** The value of the expression, at the end of a graph that `backward()` can run through. */
  output: Tensor;
  /** One leaf per variable, in order of first appearance; each collects its gradient in `.grad`. */
  inputs: Map<string, Tensor>;
}

/** The values given for an expression's variables. */
type Values = Readonly<Record<string, number | Tensor>>;

/** Turns a constant into an untracked 0-d tensor of the evaluation's dtype; a tensor stays. */
type Lift = (v: Tensor | number) => Tensor;

/** Evaluates one node: the leaves of `inputs` for variables, plain numbers for constants. */
type Evaluate = (node: Expr) => Tensor | number;

/** Refuses a dtype other than float64 and float32. */
function checkDtype(dtype: string): void {
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new TypeError(
      `evaluateExpression: dtype must be 'float64' or 'float32', got ${String(dtype)}`,
    );
  }
}

/** Throws an ExpressionError naming every variable without a value, pointing at the first one's first use. */
function checkAllGiven(expr: Expr, names: string[], values: Values, source?: string): void {
  const missing = names.filter((n) => !Object.hasOwn(values, n) || values[n] === undefined);
  if (missing.length > 0) {
    const at = firstUse(expr, missing[0]);
    const headline =
      missing.length === 1
        ? `explain: no value for ${missing[0]}; pass --${missing[0]} NUMBER`
        : `explain: no values for ${missing.join(', ')}; pass ${missing.map((n) => `--${n} NUMBER`).join(' ')}`;
    throw new ExpressionError(headline, at + 1, source);
  }
}

/** One leaf per variable: a given Tensor (named if unnamed), or a new 0-d tensor that requires its gradient. */
function leaves(
  names: string[],
  values: Values,
  dtype: 'float64' | 'float32',
): Map<string, Tensor> {
  const inputs = new Map<string, Tensor>();
  for (const name of names) {
    const v = values[name];
    if (v instanceof Tensor) {
      if (v.name === undefined) v.named(name);
      inputs.set(name, v);
    } else if (typeof v === 'number' && !Number.isNaN(v)) {
      inputs.set(name, scalar(v, { requiresGrad: true, name, dtype }));
    } else {
      throw new TypeError(
        `evaluateExpression: the value of ${name} must be a number or a Tensor, got ${formatValue(v)}`,
      );
    }
  }
  return inputs;
}

/** A binary operation as its op, lifting the left operand when both are constants (undefined for an unknown operator). */
function evaluateBinary(node: BinaryExpr, evaluate: Evaluate, lift: Lift): Tensor | undefined {
  let a = evaluate(node.left);
  const b = evaluate(node.right);
  if (typeof a === 'number' && typeof b === 'number') a = lift(a);
  switch (node.op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
    case '^':
      return pow(a, b);
  }
  return undefined;
}

/** A call as the op of the same name (`max`/`min` as `maximum`/`minimum`), or undefined for an unknown name. */
function evaluateCall(node: CallExpr, evaluate: Evaluate, lift: Lift): Tensor | undefined {
  if (node.name === 'max' || node.name === 'min') {
    let a = evaluate(node.args[0]);
    const b = evaluate(node.args[1]);
    if (typeof a === 'number' && typeof b === 'number') a = lift(a);
    return node.name === 'max' ? maximum(a, b) : minimum(a, b);
  }
  const x = lift(evaluate(node.args[0]));
  switch (node.name) {
    case 'exp':
      return x.exp();
    case 'log':
      return x.log();
    case 'sqrt':
      return x.sqrt();
    case 'tanh':
      return x.tanh();
    case 'sigmoid':
      return x.sigmoid();
    case 'relu':
      return x.relu();
    case 'step':
      return x.step();
    case 'abs':
      return x.abs();
  }
  return undefined;
}

/** The evaluator of the nodes of one expression, over its leaves. */
function evaluator(inputs: Map<string, Tensor>, lift: Lift): Evaluate {
  const evaluate = (node: Expr): Tensor | number => {
    let result: Tensor | number | undefined;
    switch (node.kind) {
      case 'number':
        return node.value;
      case 'variable':
        return inputs.get(node.name)!;
      case 'unary': {
        const v = evaluate(node.operand);
        return typeof v === 'number' ? -v : v.neg();
      }
      case 'binary':
        result = evaluateBinary(node, evaluate, lift);
        break;
      case 'call':
        result = evaluateCall(node, evaluate, lift);
        break;
    }
    if (result !== undefined) return result;
    throw new Error(`evaluateExpression: unknown node ${JSON.stringify(node)}`);
  };
  return evaluate;
}

/**
 * Computes an expression with nabla's differentiable operations on 0-d tensors, so that
 * `output.backward()` fills each input's `.grad`.
 *
 * Each variable becomes one leaf, `scalar(value, { requiresGrad: true, name })`, reused wherever
 * it appears (so its gradient sums over its paths). A Tensor value is used as given (it is named
 * after the variable if it has no name). Constants stay plain numbers passed to the operations
 * (`x * 2` is `mul(x, 2)`, `2 * x` is `mul(2, x)`, `x ^ 2` is `pow(x, 2)`; `-2` is the number −2);
 * an operation whose operands are all constants starts from an untracked `scalar` of the dtype.
 * `-a` is `neg`, `max`/`min` are `maximum`/`minimum`, the other functions are the ops of the
 * same name. Intermediate results are left unnamed. Values for names not in the expression are
 * ignored.
 *
 * @throws {ExpressionError} naming the variables without a value, with the column of the first one.
 *
 * @example
 * import { evaluateExpression, parseExpression } from 'nabla/viz';
 * const { output, inputs } = evaluateExpression(parseExpression('(x + y) * z'), { x: -2, y: 5, z: -4 });
 * output.item(); // => -12
 * output.backward();
 * inputs.get('x')!.grad!.item(); // => -4
 */
export function evaluateExpression(
  expr: Expr,
  values: Readonly<Record<string, number | Tensor>>,
  options: EvaluateExpressionOptions = {},
): EvaluatedExpression {
  const ctx = { where: 'evaluateExpression' };
  checkExpr(ctx.where, expr);
  checkObject(ctx, 'values', values);
  checkObject(ctx, 'options', options);
  if (options.source !== undefined && typeof options.source !== 'string')
    fail(ctx, 'source', 'a string', options.source, TypeError);
  const dtype = options.dtype ?? 'float64';
  checkDtype(dtype);
  const names = variables(expr);
  checkAllGiven(expr, names, values, options.source);
  const inputs = leaves(names, values, dtype);
  const lift: Lift = (v) => (v instanceof Tensor ? v : scalar(v, { dtype }));
  return { output: lift(evaluator(inputs, lift)(expr)), inputs };
}
