import { noGrad } from '../autograd/mode.js';
import { checkFunction, fail } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

/** A function run after a module's forward pass, with its inputs and output. */
export type ForwardHook = (module: Module, inputs: readonly Tensor[], output: Tensor) => void;

/** The description of a module that `model.json` stores: its type and constructor arguments. */
export interface ModuleConfig {
  type: string;
  [key: string]: unknown;
}

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Refuse missing and unexpected keys (default true). */
  strict?: boolean;
}

/**
 * The base of every layer and model, as PyTorch's `nn.Module`. A module finds its parameters
 * and sub-modules among its own fields (in declaration order), or through `registerModule` /
 * `registerParameter` for dynamic names; names join with dots (`layers.0.weight`).
 *
 * Subclasses implement `forward`. Call a module with `call(x)` (PyTorch's `model(x)`), which runs
 * the forward hooks that summaries and pictures use; `forward(x)` skips them.
 *
 * @example
 * class TwoLayer extends Module {
 *   fc1 = new Linear(2, 8);
 *   fc2 = new Linear(8, 1);
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.call(this.fc1.call(x).tanh());
 *   }
 * }
 * const net = new TwoLayer();
 * net.namedParameters().map(([name]) => name); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 */
export abstract class Module {
  /** True in training mode (dropout active), false after `eval()`. */
  training = true;
  private readonly _registered = new Map<string, Module | Parameter>();
  private readonly _hooks: ForwardHook[] = [];

  /** The computation. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Runs `forward` and then the forward hooks (PyTorch's `module(x)`). */
  call(...inputs: Tensor[]): Tensor {
    const output = this.forward(...inputs);
    for (const hook of this._hooks) hook(this, inputs, output);
    return output;
  }

  /** Adds a hook run after every `call`; returns a function that removes it. */
  registerForwardHook(hook: ForwardHook): () => void {
    this._hooks.push(hook);
    return () => {
      const i = this._hooks.indexOf(hook);
      if (i >= 0) this._hooks.splice(i, 1);
    };
  }

  /** Adds a sub-module under `name` (for names that are not fields, such as `0`, `1`, …). */
  registerModule(name: string, module: Module): void {
    if (!(module instanceof Module)) throw new TypeError(`registerModule: ${name} is not a Module`);
    this._registered.set(name, module);
  }

  /** Adds a parameter under `name`. */
  registerParameter(name: string, parameter: Parameter): void {
    if (!(parameter instanceof Parameter))
      throw new TypeError(`registerParameter: ${name} is not a Parameter`);
    this._registered.set(name, parameter);
  }

  /** Own fields and registered entries, in order. */
  private ownEntries(): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (key.startsWith('_')) continue;
      out.push([key, value]);
    }
    for (const entry of this._registered) out.push(entry);
    return out;
  }

  /** The direct sub-modules, with their names. */
  namedChildren(): [string, Module][] {
    return this.ownEntries().filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** The direct sub-modules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every module inside it, depth first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix === '' ? name : `${prefix}.${name}`));
    }
    return out;
  }

  /**
   * Every parameter with its dotted path (`layers.0.weight`); a shared parameter appears once. A
   * parameter without a name takes its path as its name, so that traced graphs show it.
   */
  namedParameters(prefix = ''): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const visit = (module: Module, path: string): void => {
      for (const [name, value] of module.ownEntries()) {
        const full = path === '' ? name : `${path}.${name}`;
        if (value instanceof Parameter) {
          if (!seen.has(value)) {
            seen.add(value);
            value.name ??= full;
            out.push([full, value]);
          }
        } else if (value instanceof Module) {
          visit(value, full);
        }
      }
    };
    visit(this, prefix);
    return out;
  }

  /** Every parameter (what an optimizer updates). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** The number of learnable numbers. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode (dropout active) on this module and every sub-module. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (dropout off). */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * The parameters by dotted name, detached but sharing storage with the model (as PyTorch's
   * `state_dict`): `clone()` them to keep a snapshot.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, p] of this.namedParameters()) out[name] = p.detach();
    return out;
  }

  /**
   * Copies values into the parameters, checking names and shapes: a shape mismatch, and in strict
   * mode (default) a missing or unexpected name, is an error naming it.
   */
  loadStateDict(
    state: Record<string, Tensor> | Map<string, Tensor>,
    options: LoadStateDictOptions = {},
  ): void {
    const strict = options.strict ?? true;
    const entries = state instanceof Map ? state : new Map(Object.entries(state));
    const params = new Map(this.namedParameters());
    if (strict) {
      const missing = [...params.keys()].filter((k) => !entries.has(k));
      const unexpected = [...entries.keys()].filter((k) => !params.has(k));
      if (missing.length > 0 || unexpected.length > 0) {
        const parts = [];
        if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
        if (unexpected.length > 0) parts.push(`unexpected ${unexpected.join(', ')}`);
        throw new Error(`loadStateDict: the state does not match the model: ${parts.join('; ')}`);
      }
    }
    for (const [name, value] of entries) {
      const p = params.get(name);
      if (p === undefined) continue;
      if (!(value instanceof Tensor)) throw new TypeError(`loadStateDict: ${name} is not a Tensor`);
      if (value.shape.length !== p.shape.length || value.shape.some((d, i) => d !== p.shape[i])) {
        throw new RangeError(
          `loadStateDict: ${name} has shape ${formatShape(value.shape)} in the state but ${formatShape(p.shape)} in the model`,
        );
      }
    }
    noGrad(() => {
      for (const [name, value] of entries) params.get(name)?.data.set(value.data);
    });
  }

  /** Re-draws every parameter from the module's initializer (used by random restarts). */
  resetParameters(): void {
    for (const child of this.children()) child.resetParameters();
  }

  /** The module's description for `model.json`; layers without one cannot be saved that way. */
  toConfig(): ModuleConfig {
    throw new Error(
      `${this.constructor.name}: this module has no configuration to save; give it a toConfig() and register its type`,
    );
  }

  /** A one-line description, such as `Linear(784→128)`. */
  toString(): string {
    return `${this.constructor.name}()`;
  }

  /**
   * A table of the layers with their output shapes (for an input of shape `inputShape`, batch
   * included) and parameter counts, in the manner of Keras' `summary()`.
   *
   * @example
   * console.log(mlp([784, 128, 10]).summary([1, 784]));
   */
  summary(inputShape?: readonly number[]): string {
    const shapes = new Map<Module, readonly number[]>();
    if (inputShape !== undefined) {
      const removers = this.namedModules().map(([, m]) =>
        m.registerForwardHook((module, _inputs, output) => shapes.set(module, output.shape)),
      );
      try {
        evalMode(this, () =>
          noGrad(() =>
            this.call(
              new Tensor(
                new Float32Array(inputShape.reduce((a, b) => a * b, 1)),
                inputShape.slice(),
              ),
            ),
          ),
        );
      } finally {
        for (const remove of removers) remove();
      }
    }
    const rows: string[][] = [['layer', 'type', 'output shape', 'parameters']];
    for (const [name, m] of this.namedModules()) {
      if (m.children().length > 0) continue; // containers: their layers are listed
      const own = m.numParameters();
      const shape = shapes.get(m);
      rows.push([
        name === '' ? '(model)' : name,
        m.toString(),
        shape ? formatShape(shape) : '-',
        own.toLocaleString('en-US'),
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]): string =>
      r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
    const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
    const total = this.numParameters();
    return [
      line(rows[0]),
      rule,
      ...rows.slice(1).map(line),
      rule,
      `total parameters: ${total.toLocaleString('en-US')}`,
    ].join('\n');
  }
}

const EVAL = { where: 'evalMode' };

/**
 * Runs `fn` with `module` and all its sub-modules in evaluation mode (dropout off), then puts
 * back each one's own training flag — also when `fn` throws. Returns what `fn` returns. Use it
 * to evaluate or draw a model in the middle of training.
 *
 * @example
 * const net = mlp([2, 8, 2], { dropout: 0.5 });
 * const out = evalMode(net, () => net.call(randn([4, 2]))); // no dropout here
 * net.training; // still true
 */
export function evalMode<T>(module: Module, fn: () => T): T {
  if (!(module instanceof Module)) fail(EVAL, 'module', 'a Module', module, TypeError);
  checkFunction(EVAL, 'fn', fn);
  const saved = module.namedModules().map(([, m]) => [m, m.training] as const);
  module.eval();
  try {
    return fn();
  } finally {
    for (const [m, training] of saved) m.training = training;
  }
}
