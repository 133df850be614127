import { checkFunction, checkObject, fail, kindOf } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import { withGradMode } from './mode.js';
import { defineRules, record, type Rule, type Vjp } from './node.js';

/** What a custom operation's forward keeps for its backward (PyTorch's `ctx`). */
export class CustomOpContext {
  /** The tensors given to {@link saveForBackward}, in order. */
  savedTensors: readonly Tensor[] = [];
  /** Other values the backward needs (sizes, flags, numbers): set them in forward, read them in backward. */
  readonly values: Record<string, unknown> = {};

  constructor(
    /** For each argument: whether it is a tensor that requires a gradient (skip work for the others). */
    readonly needsInputGrad: readonly boolean[],
  ) {}

  /**
   * Keeps tensors for the backward. Save inputs and outputs themselves (not copies): in a
   * backward run with `createGraph`, they are the graph's own tensors, so gradients of gradients
   * reach the inputs.
   */
  saveForBackward(...tensors: Tensor[]): void {
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor))
        fail({ where: 'saveForBackward' }, `argument ${i}`, 'a Tensor', t, TypeError);
    });
    this.savedTensors = tensors;
  }
}

/** A gradient for each argument (null for none); a lone gradient when the operation takes one. */
export type CustomGrads = Tensor | null | readonly (Tensor | null | undefined)[];

/** The definition of a custom operation. */
export interface CustomOpDefinition<A extends unknown[], R extends Tensor | Tensor[]> {
  /** The operation's name, shown in graphs and explanations (`mySigmoid` → `MySigmoidBackward`). */
  name: string;
  /** Computes the result (without recording a graph); saves what the backward needs on `ctx`. */
  forward: (ctx: CustomOpContext, ...args: A) => R;
  /**
   * The vector-Jacobian product: given the upstream gradient of each output, returns the gradient
   * for each argument (null for non-tensors or where none flows). Write it with tensor operations
   * to get gradients of gradients (`createGraph`, `hessian`).
   */
  backward: (ctx: CustomOpContext, ...grads: Tensor[]) => CustomGrads;
  /**
   * The local derivative as the explanations should print it (`σ(x)(1 − σ(x))`): one text for
   * every input, or one per tensor input.
   */
  formula?: string | readonly string[];
}

/** Checks the definition; returns the op's rule (names, reasons), whose derivative each call fills in. */
function checkDefinition(def: unknown): Rule {
  const where = 'customOp';
  const d = checkObject({ where }, 'the definition', def);
  if (typeof d.name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(d.name))
    fail({ where }, 'name', 'an identifier such as "mySigmoid"', d.name, TypeError);
  checkFunction({ where }, 'forward', d.forward);
  checkFunction({ where }, 'backward', d.backward);
  const f = d.formula;
  if (f !== undefined && typeof f !== 'string' && !(Array.isArray(f) && f.every(isString)))
    fail({ where }, 'formula', 'a string or an array of strings', f, TypeError);
  return defineRules({ [d.name]: () => [] })[d.name];
}

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * Defines an operation by its forward and its backward, as `torch.autograd.Function` and
 * TensorFlow.js's `customGrad` do: the forward runs without recording a graph, and the result is
 * recorded as one node named after the operation, so that `backward()`, `gradients`, `trace`,
 * `explainBackward` and `gradcheck` treat it as they treat a built-in. Arguments that are not
 * tensors (numbers, options) are passed through; their gradient is null.
 *
 * With several outputs (forward returns an array), the backward receives one gradient per
 * output (zeros for an output nothing used). Such a node's graph holds the outputs packed in one
 * flat tensor, cut apart by `narrow` and `reshape` (the engine gives each node one result).
 *
 * @example
 * // A student's sigmoid, with the backward written by hand: dσ/dx = σ(1 − σ).
 * const mySigmoid = customOp({
 *   name: 'mySigmoid',
 *   forward(ctx, x: Tensor) {
 *     const y = x.neg().exp().add(1).reciprocal();
 *     ctx.saveForBackward(y);
 *     return y;
 *   },
 *   backward(ctx, grad) {
 *     const [y] = ctx.savedTensors;
 *     return grad.mul(y).mul(y.neg().add(1));
 *   },
 *   formula: 'σ(x)(1 − σ(x))',
 * });
 * const x = tensor([0, 2], { requiresGrad: true });
 * mySigmoid(x).sum().backward();
 * x.grad; // => [0.25, 0.105]
 * mySigmoid(x).gradFn?.name; // => 'MySigmoidBackward'
 * gradcheck(mySigmoid, [randn([5])]).passed; // => true
 */
export function customOp<A extends unknown[], R extends Tensor | Tensor[]>(
  definition: CustomOpDefinition<A, R>,
): (...args: A) => R {
  const base = checkDefinition(definition);
  const { forward, backward, formula } = definition;
  const attrs = formula === undefined ? { customOp: true } : { customOp: true, formula };
  return (...args: A): R => {
    const recording = engine.gradEnabled;
    const ctx = new CustomOpContext(
      args.map((a) => recording && a instanceof Tensor && a.requiresGrad),
    );
    const result = withGradMode(false, () => forward(ctx, ...args), base.op);
    const outputs = (Array.isArray(result) ? result : [result]) as Tensor[];
    outputs.forEach((o: unknown, i) => {
      if (!(o instanceof Tensor))
        throw new TypeError(
          `${base.op}: forward must return a Tensor or an array of Tensors, got ${kindOf(o)} at ${i}`,
        );
    });
    const inputs = args.filter((a): a is Tensor => a instanceof Tensor);
    const many = Array.isArray(result);
    const vjp = ((grad: Tensor) =>
      callBackward(base.op, ctx, backward, args, many ? split(grad, outputs) : [grad])) as Vjp;
    const rule: Rule = { ...base, vjp };
    if (!many) return record(fresh(result, args), inputs, rule, attrs) as R;
    return recordMany(
      outputs.map((o) => fresh(o, args)),
      inputs,
      rule,
      attrs,
    ) as R;
  };
}

/** `t`, or a copy of it when it is an argument or already in a graph (its node must stay its own). */
function fresh(t: Tensor, args: readonly unknown[]): Tensor {
  if (!t.requiresGrad && !args.includes(t)) return t;
  return new Tensor(t.data.slice(), t.shape);
}

/** Several outputs: one packed node, each output a differentiable piece of it. */
function recordMany(outputs: Tensor[], inputs: Tensor[], rule: Rule, attrs: object): Tensor[] {
  const floating = outputs.filter((o) => isFloating(o.dtype));
  if (floating.length === 0) return outputs;
  const dtype = floating[0].dtype;
  if (floating.some((o) => o.dtype !== dtype)) {
    throw new TypeError(
      `${rule.op}: the floating-point outputs must share one dtype, got ${floating.map((o) => o.dtype).join(', ')}`,
    );
  }
  const packed = new Tensor(
    new (floating[0].data.constructor as Float64ArrayConstructor)(
      floating.reduce((n, o) => n + o.size, 0),
    ),
    [floating.reduce((n, o) => n + o.size, 0)],
  );
  let offset = 0;
  const pieces = floating.map((o) => {
    packed.data.set(o.data, offset);
    offset += o.size;
    return [offset - o.size, o] as const;
  });
  record(packed, inputs, rule, { ...attrs, outputs: outputs.length });
  if (!packed.requiresGrad) return outputs;
  return outputs.map((o) => {
    const piece = pieces.find(([, p]) => p === o);
    return piece === undefined ? o : packed.narrow(0, piece[0], o.size).reshape(o.shape);
  });
}

/** The upstream gradient of each output: the packed one cut apart, zeros for integer outputs. */
function split(grad: Tensor, outputs: Tensor[]): Tensor[] {
  let offset = 0;
  return outputs.map((o) => {
    if (!isFloating(o.dtype)) return new Tensor(new Float64Array(o.size), o.shape).to(grad.dtype);
    offset += o.size;
    return grad.narrow(0, offset - o.size, o.size).reshape(o.shape);
  });
}

/** Runs the user's backward and checks what it returns: one gradient (or null) per argument. */
function callBackward(
  op: string,
  ctx: CustomOpContext,
  backward: CustomOpDefinition<unknown[], Tensor>['backward'],
  args: readonly unknown[],
  grads: Tensor[],
): (Tensor | null)[] {
  // The user's code may keep the gradient: the engine must not recycle its storage.
  for (const g of grads) g._shared = true;
  const returned = backward(ctx, ...grads);
  const list = Array.isArray(returned) ? returned : [returned];
  if (list.length !== args.length) {
    throw new RangeError(
      `${op}: backward returned ${list.length} gradient(s) for ${args.length} argument(s); return one per argument (null for none)`,
    );
  }
  const out: (Tensor | null)[] = [];
  list.forEach((g: unknown, i) => {
    if (g !== null && g !== undefined && !(g instanceof Tensor))
      fail({ where: `${op} backward` }, `gradient ${i}`, 'a Tensor or null', g, TypeError);
    if (args[i] instanceof Tensor) out.push((g as Tensor | null | undefined) ?? null);
    else if (g instanceof Tensor) {
      throw new TypeError(
        `${op}: backward returned a gradient for argument ${i}, which is not a tensor (${kindOf(args[i])}); return null there`,
      );
    }
  });
  return out;
}
