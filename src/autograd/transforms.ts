import { checkBoolean, checkFunction, checkObject, fail, kindOf } from '../tensor/check.js';
import { zeros, zerosLike } from '../tensor/creation.js';
import { isFloating } from '../tensor/dtype.js';
import { tensorMethods } from '../tensor/methods.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gradients, tensorList } from './engine.js';
import { withGradMode } from './mode.js';

/**
 * Function transforms with the return shapes of `torch.autograd.functional`: a lone tensor where
 * the function takes (or returns) a lone tensor, an array (PyTorch's tuple) where it takes (or
 * returns) several. All are built on the reverse-mode engine.
 */

/** Options of `vjp`, `jvp`, `jacobian` and `hessian`, as PyTorch's. */
export interface TransformOptions {
  /** Keep the results differentiable (their graph reaches the inputs); default false. */
  createGraph?: boolean;
  /** Throw when an output does not depend on an input, instead of giving zeros; default false. */
  strict?: boolean;
}

/** Tensors as a function takes or returns them: one tensor, or several. */
type Many = Tensor | readonly Tensor[];
type Fn = (...xs: Tensor[]) => Many;

/** The transform's inputs made differentiable, its options checked, and `f` evaluated at them. */
interface Setup {
  where: string;
  xs: Tensor[];
  inTuple: boolean;
  outs: Tensor[];
  outTuple: boolean;
  createGraph: boolean;
  strict: boolean;
}

function setup(where: string, f: unknown, inputs: unknown, options: unknown): Setup {
  checkFunction({ where }, 'f', f);
  const o = checkObject({ where }, 'options', options, true);
  const createGraph =
    o.createGraph === undefined ? false : checkBoolean({ where }, 'createGraph', o.createGraph);
  const strict = o.strict === undefined ? false : checkBoolean({ where }, 'strict', o.strict);
  const xs = tensorList(where, 'inputs', inputs).map((x, i) => {
    if (!isFloating(x.dtype))
      fail({ where }, `input ${i}`, 'a floating-point tensor', `a ${x.dtype} tensor`, TypeError);
    // With createGraph the results must reach the caller's graph: keep the input itself.
    return createGraph && x.requiresGrad ? x : x.detach().requiresGrad_(true);
  });
  const result = withGradMode(true, () => (f as Fn)(...xs), where);
  const outs = tensorList(where, 'the result of f', result) as Tensor[];
  return {
    where,
    xs,
    inTuple: Array.isArray(inputs),
    outs,
    outTuple: Array.isArray(result),
    createGraph,
    strict,
  };
}

/** d⟨outs, seeds⟩/d(xs); zeros for an input the outputs do not reach (an error when strict). */
function pullBack(
  s: Setup,
  outs: readonly Tensor[],
  seeds: readonly Tensor[] | undefined,
  xs: readonly Tensor[],
  createGraph: boolean,
): Tensor[] {
  try {
    return gradients(outs, xs, {
      gradOutputs: seeds,
      createGraph,
      retainGraph: true,
      allowUnused: !s.strict,
    });
  } catch (e) {
    if (s.strict && e instanceof Error) e.message = `${s.where} (strict): ${e.message}`;
    throw e;
  }
}

/** `v` checked against the tensors it must match in number and shape. */
function matching(where: string, key: string, v: unknown, like: readonly Tensor[]): Tensor[] {
  const list = tensorList(where, key, v) as Tensor[];
  if (list.length !== like.length)
    throw new RangeError(`${where}: ${key} has ${list.length} tensor(s), expected ${like.length}`);
  list.forEach((t, i) => {
    if (!shapesEqual(t.shape, like[i].shape)) {
      throw new RangeError(
        `${where}: ${key}[${i}] has shape ${formatShape(t.shape)}, expected ${formatShape(like[i].shape)}`,
      );
    }
  });
  return list;
}

/** The outputs to hand back: detached unless the caller asked for a graph. */
const shaped = (list: Tensor[], tuple: boolean, keep: boolean): Tensor | Tensor[] => {
  const out = keep ? list : list.map((t) => t.detach());
  return tuple ? out : out[0];
};

/**
 * The vector-Jacobian product vᵀ·J of `f` at `inputs` (PyTorch's
 * `torch.autograd.functional.vjp`): returns `[f(inputs), vᵀ·J]`, the second with one gradient per
 * input. `v` has the outputs' shapes; it may be left out when `f` returns one element.
 *
 * @example
 * const [y, g] = vjp((x: Tensor) => x.square(), tensor([1, 2]), tensor([1, 10]));
 * y; // => [1, 4]
 * g; // => [2, 40]
 */
export function vjp(
  f: Fn,
  inputs: Many,
  v?: Many,
  options?: TransformOptions,
): [Tensor | Tensor[], Tensor | Tensor[]] {
  const s = setup('vjp', f, inputs, options);
  const seeds = v === undefined ? undefined : matching('vjp', 'v', v, s.outs);
  const grads = withGradMode(true, () => pullBack(s, s.outs, seeds, s.xs, s.createGraph), 'vjp');
  return [shaped(s.outs, s.outTuple, s.createGraph), shaped(grads, s.inTuple, true)];
}

/**
 * The Jacobian-vector product J·v of `f` at `inputs` (PyTorch's
 * `torch.autograd.functional.jvp`): returns `[f(inputs), J·v]`, the second shaped like the
 * outputs. nabla has no forward mode: this is the double-VJP construction, as PyTorch's own: with
 * u a dummy upstream gradient, g(u) = uᵀ·J is linear in u, and the gradient of ⟨g(u), v⟩ with
 * respect to u is J·v. It costs two backward passes, and needs f's derivatives to be
 * differentiable (every built-in's is).
 *
 * @example
 * const [, t] = jvp((x: Tensor) => x.square(), tensor([1, 2]), tensor([1, 10]));
 * t; // => [2, 40]
 */
export function jvp(
  f: Fn,
  inputs: Many,
  v?: Many,
  options?: TransformOptions,
): [Tensor | Tensor[], Tensor | Tensor[]] {
  const s = setup('jvp', f, inputs, options);
  if (v === undefined && (s.xs.length !== 1 || s.xs[0].size !== 1))
    throw new RangeError('jvp: v may be left out only for a single input with one element');
  const tangents = v === undefined ? undefined : matching('jvp', 'v', v, s.xs);
  const result = withGradMode(
    true,
    () => {
      const us = s.outs.map((o) => zerosLike(o).requiresGrad_(true));
      const gs = pullBack(s, s.outs, us, s.xs, true);
      const used = gs.map((g, j) => [g, tangents?.[j]] as const).filter(([g]) => g.requiresGrad);
      if (used.length === 0) return s.outs.map((o) => zerosLike(o));
      return gradients(
        used.map(([g]) => g),
        us,
        {
          gradOutputs: tangents && used.map(([, t]) => t),
          createGraph: s.createGraph,
          allowUnused: true,
        },
      );
    },
    'jvp',
  );
  return [shaped(s.outs, s.outTuple, s.createGraph), shaped(result, s.outTuple, true)];
}

/** Row `k` of the identity, shaped like `o`: the seed that picks out one output element. */
function oneHot(o: Tensor, k: number): Tensor {
  const t = zerosLike(o);
  t.data[k] = 1;
  return t;
}

/** The Jacobian of one output with respect to every input, one backward pass per output element. */
function jacobianOf(s: Setup, o: Tensor): Tensor[] {
  const rows: Tensor[][] = s.xs.map(() => []);
  for (let k = 0; k < o.size; k++) {
    const grads = o.requiresGrad
      ? pullBack(s, [o], [oneHot(o, k)], s.xs, s.createGraph)
      : pullBack(s, [], undefined, s.xs, false);
    grads.forEach((g, j) => rows[j].push(g));
  }
  return s.xs.map((x, j) => {
    const shape = [...o.shape, ...x.shape];
    if (o.size === 0) return zeros(shape, { dtype: x.dtype });
    return tensorMethods().stack(rows[j], 0).reshape(shape);
  });
}

/**
 * The Jacobian of `f` at `inputs` (PyTorch's `torch.autograd.functional.jacobian`): for output i
 * and input j, a tensor of shape `[...outputs[i].shape, ...inputs[j].shape]`. A lone tensor when
 * `f` takes one tensor and returns one; an array over the inputs (or the outputs) when it takes
 * (or returns) several; an array over outputs of arrays over inputs when both. One backward pass
 * per output element (PyTorch's default, `vectorize: false`).
 *
 * @example
 * jacobian((x: Tensor) => x.square(), tensor([1, 2])); // => [[2, 0], [0, 4]]
 */
export function jacobian(
  f: (x: Tensor) => Tensor,
  inputs: Tensor,
  options?: TransformOptions,
): Tensor;
export function jacobian(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options?: TransformOptions,
): Tensor[];
export function jacobian(
  f: (x: Tensor) => readonly Tensor[],
  inputs: Tensor,
  options?: TransformOptions,
): Tensor[];
export function jacobian(
  f: (...xs: Tensor[]) => readonly Tensor[],
  inputs: readonly Tensor[],
  options?: TransformOptions,
): Tensor[][];
export function jacobian(
  f: Fn,
  inputs: Many,
  options?: TransformOptions,
): Tensor | Tensor[] | Tensor[][] {
  return jacobianAs('jacobian', f, inputs, options);
}

/** `jacobian`, its errors naming `where` (hessian's too). */
function jacobianAs(
  where: string,
  f: Fn,
  inputs: Many,
  options: TransformOptions | undefined,
): Tensor | Tensor[] | Tensor[][] {
  const s = setup(where, f, inputs, options);
  const perOutput = withGradMode(true, () => s.outs.map((o) => jacobianOf(s, o)), where);
  const byInput = perOutput.map((js) => (s.inTuple ? js : js[0]));
  return (s.outTuple ? byInput : byInput[0]) as Tensor | Tensor[] | Tensor[][];
}

/**
 * The Hessian of a scalar function `f` at `inputs` (PyTorch's
 * `torch.autograd.functional.hessian`): the Jacobian of its gradient. For one input, a tensor of
 * shape `[...x.shape, ...x.shape]`; for several, `H[i][j]` of shape
 * `[...inputs[i].shape, ...inputs[j].shape]`.
 *
 * @example
 * hessian((x: Tensor) => x.pow(3).sum(), tensor([1, 2])); // => [[6, 0], [0, 12]]
 */
export function hessian(
  f: (x: Tensor) => Tensor,
  inputs: Tensor,
  options?: TransformOptions,
): Tensor;
export function hessian(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options?: TransformOptions,
): Tensor[][];
export function hessian(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Many,
  options?: TransformOptions,
): Tensor | Tensor[][] {
  checkFunction({ where: 'hessian' }, 'f', f);
  const single = !Array.isArray(inputs);
  const gradient = (...xs: Tensor[]): Tensor | Tensor[] => {
    const y = f(...xs);
    if (!(y instanceof Tensor) || y.size !== 1) {
      throw new RangeError(
        `hessian: f must return a tensor with one element, got ${y instanceof Tensor ? `shape ${formatShape(y.shape)}` : kindOf(y)}`,
      );
    }
    const grads = y.requiresGrad
      ? gradients(y, xs, { createGraph: true, allowUnused: !options?.strict })
      : xs.map((x) => zerosLike(x));
    return single ? grads[0] : grads;
  };
  return jacobianAs('hessian', gradient, inputs, options) as Tensor | Tensor[][];
}

/** Options of `vmap`, as PyTorch's. */
export interface VmapOptions {
  /**
   * The axis of each argument to map over (default 0); `null` passes that argument whole to every
   * call (it must be null for arguments that are not tensors). One number applies to every tensor.
   */
  inDims?: number | null | readonly (number | null)[];
  /** Where the batch axis goes in each output (default 0); one number applies to every output. */
  outDims?: number | readonly number[];
}

/** The batch size: the size of every mapped axis, which must agree. */
function batchSize(args: readonly unknown[], dims: readonly (number | null)[]): number {
  let size: number | undefined;
  args.forEach((a, i) => {
    const d = dims[i];
    if (d === null) return;
    if (!(a instanceof Tensor))
      fail(
        { where: 'vmap' },
        `inDims[${i}]`,
        'null for an argument that is not a tensor',
        d,
        TypeError,
      );
    if (!Number.isInteger(d) || d < -a.ndim || d >= a.ndim)
      throw new RangeError(
        `vmap: inDims[${i}] is ${d}, out of range for argument ${i} of shape ${formatShape(a.shape)}`,
      );
    const n = a.shape[d < 0 ? d + a.ndim : d];
    if (size !== undefined && n !== size)
      throw new RangeError(
        `vmap: the mapped axes differ in size (${size} and ${n} at argument ${i}); they must agree`,
      );
    size = n;
  });
  if (size === undefined)
    throw new RangeError('vmap: at least one argument must be mapped (an inDims that is not null)');
  if (size === 0)
    throw new RangeError('vmap: the mapped axis is empty; there is nothing to call f on');
  return size;
}

/**
 * Maps `f`, written for one example, over a batch axis of its arguments (PyTorch's `torch.vmap`
 * with `inDims`/`outDims`). nabla's version calls `f` once per example and stacks the results:
 * the kernels and derivative rules take whole tensors with no notion of a batch axis, so true
 * batching would need a batching rule for every primitive, as JAX and functorch have. The results
 * are the same and differentiable (`vmap(grad(f))` gives per-example gradients); only the speed
 * of a single batched call is missing. Random operations draw afresh for every example
 * (PyTorch's `randomness: 'different'`).
 *
 * @example
 * const dot = (a: Tensor, b: Tensor) => a.mul(b).sum();
 * vmap(dot)(tensor([[1, 2], [3, 4]]), tensor([[1, 1], [1, 0]])); // => [3, 3]
 * vmap(dot, { inDims: [0, null] })(tensor([[1, 2], [3, 4]]), tensor([1, 1])); // => [3, 7]
 */
export function vmap<A extends unknown[], R extends Tensor | Tensor[]>(
  f: (...args: A) => R,
  options: VmapOptions = {},
): (...args: A) => R {
  checkFunction({ where: 'vmap' }, 'f', f);
  const o = checkObject({ where: 'vmap' }, 'options', options, true) as VmapOptions;
  return (...args: A): R => {
    const inDims = o.inDims ?? 0;
    const dims = Array.isArray(inDims)
      ? (inDims as (number | null)[])
      : args.map((a) => (a instanceof Tensor ? (inDims as number | null) : null));
    if (dims.length !== args.length)
      throw new RangeError(
        `vmap: inDims has ${dims.length} entries for ${args.length} argument(s)`,
      );
    const n = batchSize(args, dims);
    const results: Tensor[][] = [];
    let tuple = false;
    for (let b = 0; b < n; b++) {
      const slice = args.map((a, i) => (dims[i] === null ? a : (a as Tensor).select(dims[i]!, b)));
      const r: unknown = f(...(slice as A));
      tuple = Array.isArray(r);
      results.push(tensorList('vmap', 'the result of f', r) as Tensor[]);
    }
    const outs = results[0].map((_, j) => {
      const outDims = o.outDims ?? 0;
      const d = typeof outDims === 'number' ? outDims : outDims[j];
      return tensorMethods().stack(
        results.map((r) => r[j]),
        d,
      );
    });
    return (tuple ? outs : outs[0]) as R;
  };
}
