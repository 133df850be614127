import { enableGrad, noGrad } from '../autograd/mode.js';
import { clearGrad } from '../autograd/recycle.js';
import { allocate, isFloating, type TypedArray } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkPositive, formatValue, subclassLabel, type CheckContext } from '../tensor/check.js';
import {
  checkGroupKeys,
  checkParamState,
  checkSavedClass,
  checkStateDictShape,
} from './state-checks.js';

/** The hyperparameters every optimizer has. */
export interface OptimizerOptions {
  /** The learning rate η. Schedulers change it between steps by setting `group.lr`. */
  lr: number;
}

/**
 * A set of parameters sharing hyperparameters, as PyTorch's param group: the tensors, and one
 * value for each hyperparameter of the optimizer. Mutable: set `group.lr` (or any other
 * hyperparameter) and the next `step()` uses it. `initialLr` is recorded by the first scheduler
 * made for the optimizer.
 */
export type ParamGroup<H extends OptimizerOptions = OptimizerOptions> = H & {
  params: Tensor[];
  initialLr?: number;
};

/** A param group as given to an optimizer: the tensors and any hyperparameters to override. */
export type ParamGroupInit<H extends OptimizerOptions = OptimizerOptions> = Partial<H> & {
  params: Iterable<Tensor> | Tensor;
  initialLr?: number;
};

/** What an optimizer accepts: the tensors to optimize, or a list of param groups. */
export type OptimizerParams<H extends OptimizerOptions = OptimizerOptions> =
  Iterable<Tensor> | Iterable<ParamGroupInit<H>>;

/** The state an optimizer keeps for one parameter (`momentumBuffer`, `step`, `expAvg`, …). */
export type ParamState = Record<string, Tensor | number>;

/**
 * A snapshot of an optimizer, as PyTorch's `state_dict()`: parameters are referred to by their
 * index, counting through the groups in order.
 */
export interface OptimizerStateDict<H extends OptimizerOptions = OptimizerOptions> {
  /** The class that saved it (its name in messages); absent from state dicts saved before. */
  optimizer?: string;
  state: Record<number, ParamState>;
  paramGroups: Array<H & { params: number[]; initialLr?: number }>;
}

const copyValue = <T>(v: T): T => (Array.isArray(v) ? (v.slice() as T) : v);

function copyTensor(t: Tensor, like: Tensor = t): Tensor {
  const data = allocate(like.dtype, t.size);
  data.set(t.data);
  return new Tensor(data, like.shape.slice());
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

function isGroupInit(value: unknown): value is ParamGroupInit {
  return (
    value !== null && typeof value === 'object' && !(value instanceof Tensor) && 'params' in value
  );
}

/**
 * The base of every optimizer, as PyTorch's `torch.optim.Optimizer`: it holds the param groups
 * and the per-parameter state, and `step()` updates each parameter that has a gradient. A
 * subclass gives its defaults, checks its hyperparameters and writes `update()`, the rule for one
 * parameter.
 *
 * Updates change `param.data` in place, outside the graph, in one pass over the typed arrays per
 * parameter with the arithmetic in JavaScript numbers (doubles). State tensors have the
 * parameter's dtype, as in PyTorch.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * w.square().sum().backward();
 * opt.step();     // w ← w − 0.1·∇
 * opt.zeroGrad();
 */
export abstract class Optimizer<H extends OptimizerOptions = OptimizerOptions> {
  /** The hyperparameters a param group gets when it does not set its own. */
  readonly defaults: Readonly<H>;
  /** The param groups, in order. Mutable, as in PyTorch. */
  paramGroups: ParamGroup<H>[] = [];
  /** The state of each parameter that has taken a step, under PyTorch's names. */
  state = new Map<Tensor, ParamState>();
  /** The name used in messages (`SGD`, `Adam`, …). */
  protected readonly label: string;

  /**
   * @param params the tensors to optimize, or param groups `{ params, ...overrides }`
   * @param defaults every hyperparameter's value for groups that do not set it
   * @param name the name for messages (default: the class name)
   */
  constructor(params: OptimizerParams<H>, defaults: H, name?: string) {
    this.label = subclassLabel(new.target, Optimizer, name, 'SGD, Adam, AdamW, Adagrad or RMSprop');
    this.checkHyperparameters(defaults, { where: this.label });
    this.defaults = defaults;
    for (const group of this.toGroups(params)) this.addParamGroup(group);
  }

  /**
   * Checks a set of hyperparameters (the defaults, then each group's), throwing a message that
   * names the optimizer, the option, the value and what was expected. Subclasses extend it.
   */
  protected checkHyperparameters(h: H, ctx: CheckContext): void {
    checkPositive(ctx, 'lr', (h as Partial<H> | undefined)?.lr);
  }

  /**
   * The update rule for one parameter with a gradient: change `param.data` in place using
   * `grad.data`, the group's hyperparameters and the parameter's `state` (empty at first).
   */
  protected abstract update(
    param: Tensor,
    grad: Tensor,
    group: ParamGroup<H>,
    state: ParamState,
  ): void;

  /** The state tensor `key` of a parameter (made filled with `fill` if missing), as its array. */
  protected buffer(state: ParamState, key: string, param: Tensor, fill = 0): TypedArray {
    let t = state[key];
    if (!(t instanceof Tensor)) {
      const data = allocate(param.dtype, param.size);
      if (fill !== 0) data.fill(fill);
      t = new Tensor(data, param.shape.slice());
      state[key] = t;
    }
    return t.data;
  }

  /** Adds one to the parameter's `step` count and returns the new count. */
  protected countStep(state: ParamState): number {
    const step = typeof state.step === 'number' ? state.step + 1 : 1;
    state.step = step;
    return step;
  }

  /**
   * Takes one optimization step: updates every parameter whose `grad` is not null. With a
   * `closure` (which should clear the gradients, compute the loss, call `backward()` and return
   * the loss), calls it first, with gradient recording on, and returns its result.
   */
  step(): void;
  step<T>(closure: () => T): T;
  step<T>(closure?: () => T): T | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    noGrad(() => {
      this.paramGroups.forEach((group, g) => {
        group.params.forEach((p, i) => {
          const grad = p._grad; // read inside the library: the gradient stays unseen
          if (grad === null) return;
          if (!(grad instanceof Tensor) || !shapesEqual(grad.shape, p.shape)) {
            const got =
              grad instanceof Tensor ? `shape ${formatShape(grad.shape)}` : formatValue(grad);
            throw new RangeError(
              `${this.label}.step: the gradient of parameter ${i} of param group ${g} has ${got} ` +
                `but the parameter has shape ${formatShape(p.shape)}`,
            );
          }
          let state = this.state.get(p);
          if (state === undefined) {
            state = {};
            this.state.set(p, state);
          }
          this.update(p, grad, group, state);
        });
      });
    });
    return loss;
  }

  /**
   * Clears the gradients of all parameters: sets each `grad` to null (PyTorch's default
   * `set_to_none=True`), or with `setToNone = false` fills existing gradients with zeros.
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) clearGrad(p);
        else p._grad?.data.fill(0);
      }
    }
  }

  /**
   * Adds a param group: `{ params, ...hyperparameters }`; hyperparameters not given come from
   * `defaults`. A tensor may belong to only one group.
   */
  addParamGroup(init: ParamGroupInit<H>): void {
    const index = this.paramGroups.length;
    const where = `${this.label}: param group ${index}`;
    if (!isGroupInit(init)) {
      throw new TypeError(
        `${where} must be an object { params, ...options }, got ${formatValue(init)}`,
      );
    }
    const given = init.params;
    if (!(given instanceof Tensor) && !isIterable(given)) {
      throw new TypeError(
        `${where}: params must be a tensor or an iterable of tensors, got ${formatValue(given)}`,
      );
    }
    const params: Tensor[] = given instanceof Tensor ? [given] : Array.from(given);
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        throw new TypeError(`${where}: parameter ${i} is not a Tensor, got ${formatValue(p)}`);
      }
      if (p.gradFn !== null) {
        throw new Error(
          `${where}: parameter ${i} was computed by ${p.gradFn.name}, and only leaf tensors can be ` +
            'optimized; pass the leaves it was computed from (or a .detach()ed copy with requiresGrad set)',
        );
      }
      if (!isFloating(p.dtype)) {
        throw new TypeError(
          `${where}: parameter ${i} is ${p.dtype}; only float32 and float64 tensors can be optimized`,
        );
      }
      if (seen.has(p)) {
        throw new Error(`${where}: parameter ${i} appears twice in the group`);
      }
      seen.add(p);
      this.paramGroups.forEach((other, j) => {
        if (other.params.includes(p)) {
          throw new Error(
            `${where}: parameter ${i} is already in param group ${j}; a tensor may belong to only one group`,
          );
        }
      });
    });
    const group: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.defaults)) group[key] = copyValue(value);
    for (const [key, value] of Object.entries(init)) {
      if (key !== 'params' && value !== undefined) group[key] = copyValue(value);
    }
    group.params = params;
    this.checkHyperparameters(group as unknown as ParamGroup<H>, {
      where: this.label,
      group: index,
    });
    this.paramGroups.push(group as unknown as ParamGroup<H>);
  }

  /**
   * A snapshot of the hyperparameters and state, with parameters referred to by index (counting
   * through the groups in order), as PyTorch's `state_dict()`. The tensors are copies, so later
   * steps do not change it.
   */
  stateDict(): OptimizerStateDict<H> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group)) {
        if (key !== 'params') out[key] = copyValue(value);
      }
      out.params = group.params.map((p) => {
        index.set(p, index.size);
        return index.size - 1;
      });
      return out as unknown as H & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const copy: ParamState = {};
      for (const [key, value] of Object.entries(s)) {
        copy[key] = value instanceof Tensor ? copyTensor(value) : value;
      }
      state[i] = copy;
    }
    return { optimizer: this.label, state, paramGroups };
  }

  /**
   * Restores hyperparameters and state saved by `stateDict()` into this optimizer, whose groups
   * must hold the same number of parameters, in the same order, as the saved ones. Checks
   * everything before changing anything (a state dict from another optimizer class, state tensors
   * of the wrong shape or dtype, missing entries); copies the tensors (converted to each
   * parameter's dtype).
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.label}.loadStateDict`;
    checkStateDictShape(where, dict);
    const saved = dict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError(
        `${where}: the saved state has ${saved.length} param groups but this optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex = new Map<number, Tensor>();
    const groupOf = new Map<Tensor, Record<string, unknown>>();
    const groups = saved.map((s, g) => {
      const current = this.paramGroups[g];
      if (s === null || typeof s !== 'object' || !Array.isArray(s.params)) {
        throw new TypeError(`${where}: saved param group ${g} has no params list`);
      }
      if (s.params.length !== current.params.length) {
        throw new RangeError(
          `${where}: saved param group ${g} has ${s.params.length} parameters but this optimizer's group ${g} has ${current.params.length}`,
        );
      }
      checkGroupKeys(where, this.label, this.defaults, s, g);
      s.params.forEach((id, i) => byIndex.set(id, current.params[i]));
      const group: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(this.defaults)) group[key] = copyValue(value);
      for (const [key, value] of Object.entries(s)) {
        if (key !== 'params' && value !== undefined) group[key] = copyValue(value);
      }
      group.params = current.params;
      this.checkHyperparameters(group as unknown as ParamGroup<H>, { where, group: g });
      for (const p of current.params) groupOf.set(p, group);
      return group as unknown as ParamGroup<H>;
    });
    checkSavedClass(where, this.label, dict.optimizer);
    const state = new Map<Tensor, ParamState>();
    for (const [key, entries] of Object.entries(dict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) {
        throw new RangeError(
          `${where}: the saved state refers to parameter ${key}, which no saved param group lists`,
        );
      }
      const copy: ParamState = {};
      const saved = (entries ?? {}) as Record<string, unknown>;
      checkParamState(where, this.label, key, saved, p, groupOf.get(p)!);
      for (const [name, value] of Object.entries(saved)) {
        if (value instanceof Tensor) copy[name] = copyTensor(value, p);
        else if (typeof value === 'number') copy[name] = value;
        else {
          throw new TypeError(
            `${where}: the saved ${name} of parameter ${key} must be a Tensor or a number, got ${formatValue(value)}`,
          );
        }
      }
      state.set(p, copy);
    }
    this.paramGroups = groups;
    this.state = state;
  }

  /** The optimizer and its groups' hyperparameters, in the manner of PyTorch's printing. */
  toString(): string {
    const lines = [`${this.label} (`];
    this.paramGroups.forEach((group, g) => {
      lines.push(`Parameter Group ${g}`);
      for (const key of Object.keys(group).sort()) {
        if (key !== 'params')
          lines.push(`    ${key}: ${formatValue(group[key as keyof typeof group])}`);
      }
    });
    lines.push(')');
    return lines.join('\n');
  }

  /** Turns the constructor's `params` into a list of group inits. */
  private toGroups(params: OptimizerParams<H>): ParamGroupInit<H>[] {
    const where = this.label;
    if (params instanceof Tensor) {
      throw new TypeError(
        `${where}: params must be an iterable of tensors or of param groups, got a single Tensor; wrap it in a list: [w]`,
      );
    }
    if (!isIterable(params)) {
      throw new TypeError(
        `${where}: params must be an iterable of tensors or of param groups, got ${formatValue(params)}`,
      );
    }
    const list: unknown[] = Array.from(params as Iterable<unknown>);
    if (list.length === 0) {
      throw new Error(
        `${where}: got an empty list of parameters; give at least one tensor to optimize`,
      );
    }
    if (list.every((x) => x instanceof Tensor))
      return [{ params: list as Tensor[] } as unknown as ParamGroupInit<H>];
    const bad = list.findIndex((x) => !isGroupInit(x));
    if (bad === -1) return list as ParamGroupInit<H>[];
    throw new TypeError(
      `${where}: params must be all tensors or all param groups ({ params, ...options }); item ${bad} is ${formatValue(list[bad])}`,
    );
  }
}
