import { noGrad } from '../autograd/mode.js';
import { clearGrad } from '../autograd/recycle.js';
import { checkBoolean, checkFunction, checkObject, fail } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';
import { copyState, stateEntries, type StateInput } from './state-dict.js';
import { summaryTable, type SummaryRow } from './summary.js';

/** A function run after a module's forward pass, with its inputs and output. */
export type ForwardHook = (module: Module, inputs: readonly Tensor[], output: Tensor) => void;

/** The description of a module that `model.json` stores: its type and constructor arguments. */
export interface ModuleConfig {
  type: string;
  [key: string]: unknown;
}

/** Options of `registerBuffer`. */
export interface BufferOptions {
  /** Whether the buffer is part of `stateDict()` (and so of saved files); default true. */
  persistent?: boolean;
}

/** One tensor of a module's state, as the walk over the module tree finds it. */
interface StateEntry {
  kind: 'parameter' | 'buffer';
  name: string;
  tensor: Tensor;
  persistent: boolean;
}

/** A buffer as its module holds it (null: declared but absent, as PyTorch's `None`). */
interface Buffer {
  tensor: Tensor | null;
  persistent: boolean;
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
  /** True in training mode (dropout active, batch norm on batch statistics), false after `eval()`. */
  training = true;
  private readonly _registered = new Map<string, Module | Parameter>();
  private readonly _buffers = new Map<string, Buffer>();
  private readonly _hooks: ForwardHook[] = [];

  /** The computation. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Runs `forward` and then the forward hooks (PyTorch's `module(x)`). */
  call(...inputs: Tensor[]): Tensor {
    const output = this.forward(...inputs);
    for (const hook of this._hooks) hook(this, inputs, output);
    return output;
  }

  /** Whether forward hooks are registered (`Sequential` fuses a layer only when none are). */
  get hasForwardHooks(): boolean {
    return this._hooks.length > 0;
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

  /**
   * Adds a buffer: a tensor that belongs to the module's state but is not learned, such as batch
   * norm's `running_mean` (PyTorch's `register_buffer`). Optimizers never see buffers and
   * `numParameters()` leaves them out; `stateDict()` holds them after the module's parameters
   * (unless `persistent` is false), and `loadStateDict` fills them. `null` declares a buffer that
   * is absent (left out of the state), as PyTorch's `None`. Registering a name again replaces it.
   *
   * @example
   * class Counter extends Module {
   *   constructor() {
   *     super();
   *     this.registerBuffer('count', new Tensor(new Int32Array(1), []));
   *   }
   *   forward(x: Tensor): Tensor {
   *     this.getBuffer('count')!.data[0]++;
   *     return x;
   *   }
   * }
   * Object.keys(new Counter().stateDict()); // => ['count']
   */
  registerBuffer(name: string, tensor: Tensor | null, options: BufferOptions = {}): void {
    const ctx = { where: 'registerBuffer' };
    if (typeof name !== 'string' || name === '' || name.includes('.'))
      fail(ctx, 'name', 'a non-empty string without "."', name, TypeError);
    if (tensor !== null && !(tensor instanceof Tensor))
      fail(ctx, name, 'a Tensor or null', tensor, TypeError);
    const o = checkObject(ctx, 'options', options);
    const persistent = checkBoolean(ctx, 'options.persistent', o.persistent ?? true);
    if (this._registered.has(name) || (Object.hasOwn(this, name) && !this._buffers.has(name)))
      throw new Error(`registerBuffer: ${this.constructor.name} already has an attribute ${name}`);
    this._buffers.set(name, { tensor, persistent });
  }

  /**
   * The buffer at the dotted path `target` (`bn1.running_mean`), null for one declared absent
   * (PyTorch's `get_buffer`); a path that names no buffer is an error.
   */
  getBuffer(target: string): Tensor | null {
    if (typeof target !== 'string') fail({ where: 'getBuffer' }, 'target', 'a string', target);
    const path = target.split('.');
    const name = path.pop() as string;
    const module = path.reduce<Module>((m, part) => {
      const child = m.namedChildren().find(([n]) => n === part)?.[1];
      if (child === undefined) throw new Error(`getBuffer: no sub-module ${part} in ${target}`);
      return child;
    }, this);
    const buffer = module._buffers.get(name);
    if (buffer === undefined) throw new Error(`getBuffer: ${target} is not a buffer`);
    return buffer.tensor;
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

  /**
   * Every parameter and buffer with its dotted path, each tensor once: a module's parameters and
   * sub-modules in declaration order, its buffers after its parameters (before the first
   * sub-module, as PyTorch orders a state dict).
   */
  private stateTree(prefix: string, seen: Set<Tensor>, out: StateEntry[]): StateEntry[] {
    const join = (name: string): string => (prefix === '' ? name : `${prefix}.${name}`);
    let buffersDone = false;
    const addBuffers = (): void => {
      if (buffersDone) return;
      buffersDone = true;
      for (const [name, { tensor, persistent }] of this._buffers) {
        if (tensor === null || seen.has(tensor)) continue;
        seen.add(tensor);
        out.push({ kind: 'buffer', name: join(name), tensor, persistent });
      }
    };
    for (const [name, value] of this.ownEntries()) {
      if (value instanceof Parameter) {
        if (seen.has(value)) continue;
        seen.add(value);
        value.name ??= join(name);
        out.push({ kind: 'parameter', name: join(name), tensor: value, persistent: true });
      } else if (value instanceof Module) {
        addBuffers();
        value.stateTree(join(name), seen, out);
      }
    }
    addBuffers();
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
    return this.stateTree(prefix, new Set(), [])
      .filter((e) => e.kind === 'parameter')
      .map((e) => [e.name, e.tensor as Parameter]);
  }

  /** Every parameter (what an optimizer updates). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Every buffer (persistent or not) with its dotted path (`bn1.running_mean`), each once; absent
   * (null) buffers are left out.
   *
   * @example
   * new BatchNorm1d(3).namedBuffers().map(([name]) => name);
   * // => ['running_mean', 'running_var', 'num_batches_tracked']
   */
  namedBuffers(prefix = ''): [string, Tensor][] {
    return this.stateTree(prefix, new Set(), [])
      .filter((e) => e.kind === 'buffer')
      .map((e) => [e.name, e.tensor]);
  }

  /** Every buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** The number of learnable numbers (buffers are not counted). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * Sets training mode on this module and every sub-module: dropout active, batch norm on the
   * batch's statistics (updating its running ones).
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') fail({ where: 'train' }, 'mode', 'true or false', mode);
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode: dropout off, batch norm on its running statistics. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) clearGrad(p);
  }

  /**
   * The parameters and persistent buffers by dotted name, in PyTorch's keys and order
   * (`0.weight`, `0.bias`, `1.running_mean`, …), detached but sharing storage with the model (as
   * PyTorch's `state_dict`): `clone()` them to keep a snapshot.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const e of this.stateTree('', new Set(), [])) {
      if (!e.persistent) continue;
      out[e.name] = e.tensor.detach();
    }
    return out;
  }

  /**
   * Copies values into the parameters and persistent buffers, checking names and shapes: a shape
   * mismatch, and in strict mode (default) a missing or unexpected name, is an error naming it.
   * Values take the dtype of the tensor they go into (an int32 count from a float file, as
   * PyTorch's `copy_`).
   */
  loadStateDict(state: StateInput, options: LoadStateDictOptions = {}): void {
    const o = checkObject({ where: 'loadStateDict' }, 'options', options);
    const strict = checkBoolean({ where: 'loadStateDict' }, 'strict', o.strict ?? true);
    const targets = new Map<string, Tensor>();
    for (const e of this.stateTree('', new Set(), [])) {
      if (e.persistent) targets.set(e.name, e.tensor);
    }
    copyState(targets, stateEntries(state, 'loadStateDict'), strict);
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
   * A table of the layers with their output shapes (for an input of zeros of shape `inputShape`,
   * batch included, run once in evaluation mode, in the dtype of the weights) and parameter counts, in the manner of Keras'
   * `summary()`.
   *
   * @example
   * console.log(mlp([784, 128, 10]).summary([1, 784]));
   */
  summary(inputShape?: readonly number[]): string {
    if (
      inputShape !== undefined &&
      (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d >= 0))
    )
      fail({ where: 'summary' }, 'inputShape', 'a list of sizes', inputShape, TypeError);
    const shapes = inputShape === undefined ? new Map() : this.outputShapes(inputShape);
    const rows: SummaryRow[] = [];
    for (const [name, m] of this.namedModules()) {
      if (m.children().length > 0) continue; // containers: their layers are listed
      const shape = shapes.get(m);
      rows.push([
        name === '' ? '(model)' : name,
        m.toString(),
        shape ? formatShape(shape) : '-',
        m.numParameters(),
      ]);
    }
    return summaryTable(rows, this.numParameters());
  }

  /** Each module's output shape for one zero input of `inputShape`, in evaluation mode. */
  private outputShapes(inputShape: readonly number[]): Map<Module, readonly number[]> {
    const shapes = new Map<Module, readonly number[]>();
    const removers = this.namedModules().map(([, m]) =>
      m.registerForwardHook((module, _inputs, output) => shapes.set(module, output.shape)),
    );
    const size = inputShape.reduce((a, b) => a * b, 1);
    // The input takes the weights' dtype (float64 layers refuse float32 input).
    const data =
      this.parameters()[0]?.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
    try {
      evalMode(this, () => noGrad(() => this.call(new Tensor(data, inputShape.slice()))));
    } finally {
      for (const remove of removers) remove();
    }
    return shapes;
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
