import { checkFunction, checkObject, fail, kindOf } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import { gradients } from './engine.js';
import { withGradMode } from './mode.js';

/** Which arguments to differentiate with respect to: one position, or several. */
export interface GradOptions<N extends number | readonly number[]> {
  /** Argument position(s) (default 0, as in JAX and `torch.func.grad`). */
  argnums?: N;
}

type GradResult<N> = N extends number ? Tensor : Tensor[];

/**
 * The `f` and `argnums` of `grad(f, options)`, checked when the transform is made rather than when
 * it is first called: `grad: f must be a function, got 42`.
 */
function checkTransform(where: string, f: unknown, options: unknown): number | readonly number[] {
  checkFunction({ where }, 'f', f);
  const argnums = checkObject({ where }, 'options', options, true).argnums ?? 0;
  const valid = (a: unknown): boolean => Number.isInteger(a) && (a as number) >= 0;
  if (Array.isArray(argnums) ? !argnums.every(valid) : !valid(argnums)) {
    const sort = typeof argnums === 'number' || Array.isArray(argnums) ? RangeError : TypeError;
    fail({ where }, 'argnums', 'an integer >= 0 or an array of them', argnums, sort);
  }
  return argnums as number | readonly number[];
}

function checkArgnums(argnums: number | readonly number[], count: number, where: string): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  if (list.length === 0)
    throw new RangeError(`${where}: argnums is empty; name at least one argument`);
  return list.map((a) => {
    if (!Number.isInteger(a) || a < 0 || a >= count) {
      throw new RangeError(
        `${where}: argnums ${a} is out of range for a call with ${count} argument(s)`,
      );
    }
    return a;
  });
}

/**
 * Calls `f` and differentiates its result with respect to the chosen arguments. When the call
 * itself is being differentiated (an argument already requires a gradient, as inside another
 * `grad`), the gradients keep their graph, so that `grad(grad(f))` works.
 */
function evaluate(
  f: (...args: Tensor[]) => Tensor,
  args: Tensor[],
  argnums: number | readonly number[],
  where: string,
): [Tensor, Tensor[]] {
  args.forEach((a: unknown, i) => {
    if (!(a instanceof Tensor)) fail({ where }, `argument ${i}`, 'a Tensor', a, TypeError);
  });
  const positions = checkArgnums(argnums, args.length, where);
  const nested = engine.gradEnabled && args.some((a) => a.requiresGrad);
  return withGradMode(
    true,
    () => {
      const inputs = args.map((a, i) => {
        if (!positions.includes(i) || a.requiresGrad) return a;
        if (a.dtype !== 'float32' && a.dtype !== 'float64') {
          throw new TypeError(
            `${where}: argument ${i} is ${a.dtype}; only floating-point arguments can be differentiated`,
          );
        }
        return a.detach().requiresGrad_(true);
      });
      const value = f(...inputs);
      if (!(value instanceof Tensor)) {
        throw new TypeError(`${where}: the function must return a Tensor, got ${kindOf(value)}`);
      }
      if (value.size !== 1) {
        throw new RangeError(
          `${where}: the function must return a tensor with one element (a scalar), got shape ${formatShape(value.shape)}; ` +
            'reduce it (e.g. .sum()) or use gradients() with gradOutputs for a vector-Jacobian product',
        );
      }
      const targets = positions.map((p) => inputs[p]);
      const grads = value.requiresGrad
        ? gradients(value, targets, { createGraph: nested, allowUnused: true })
        : targets.map(
            (t) => new Tensor(new (t.data.constructor as Float32ArrayConstructor)(t.size), t.shape),
          );
      return [nested ? value : value.detach(), grads];
    },
    where,
  );
}

/**
 * Turns a function returning a scalar tensor into one returning its gradient with respect to the
 * argument `argnums` (default 0; an array gives an array of gradients). Composes: `grad(grad(f))`
 * is the second derivative.
 *
 * @example
 * const f = (x: Tensor) => x.pow(3);
 * grad(f)(scalar(2)).item(); // => 12   (3x²)
 * grad(grad(f))(scalar(2)).item(); // => 12   (6x)
 */
export function grad<A extends Tensor[], N extends number | readonly number[] = 0>(
  f: (...args: A) => Tensor,
  options?: GradOptions<N>,
): (...args: A) => GradResult<N> {
  const argnums = checkTransform('grad', f, options);
  return (...args: A) => {
    const [, grads] = evaluate(f as (...a: Tensor[]) => Tensor, args, argnums, 'grad');
    return (typeof argnums === 'number' ? grads[0] : grads) as GradResult<N>;
  };
}

/**
 * Like `grad`, but returns `[value, gradient]`, computing `f` once.
 *
 * @example
 * const [value, dx] = valueAndGrad((x: Tensor) => x.square().sum())(tensor([1, 2]));
 * // value 5, dx [2, 4]
 */
export function valueAndGrad<A extends Tensor[], N extends number | readonly number[] = 0>(
  f: (...args: A) => Tensor,
  options?: GradOptions<N>,
): (...args: A) => [Tensor, GradResult<N>] {
  const argnums = checkTransform('valueAndGrad', f, options);
  return (...args: A) => {
    const [value, grads] = evaluate(f as (...a: Tensor[]) => Tensor, args, argnums, 'valueAndGrad');
    return [value, (typeof argnums === 'number' ? grads[0] : grads) as GradResult<N>];
  };
}
