import { where } from '../ops/binary.js';
import { attentionWeights } from '../ops/attention.js';
import { matmul } from '../ops/matmul.js';
import { checkBoolean, checkChoice, checkInteger, checkObject, fail } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import type { Generator } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { configFields, FLOAT_DTYPES, type FloatDType } from './config-fields.js';
import { storage, xavierUniform } from './init.js';
import { Linear } from './linear.js';
import { Module, type ModuleConfig } from './module.js';
import { Parameter } from './parameter.js';

/** Options of `MultiheadAttention`, as PyTorch's constructor arguments. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Whether the input and output projections have biases (default true). */
  bias?: boolean;
  /** Features of the keys (default embedDim). */
  kdim?: number;
  /** Features of the values (default embedDim). */
  vdim?: number;
  /** Inputs and outputs as [batch, sequence, features] (default false: [sequence, batch, features]). */
  batchFirst?: boolean;
  /** Where the initial weights and the dropout masks are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/** Options of `MultiheadAttention.attend`, as the keyword arguments of PyTorch's forward. */
export interface AttendOptions {
  /**
   * [N, S] (or [S] unbatched): keys to ignore. Nonzero (True) means "ignore this key", as in
   * PyTorch's MultiheadAttention; a floating-point mask is added to the scores instead.
   */
  keyPaddingMask?: Tensor | null;
  /** Whether to return the attention weights (default true). */
  needWeights?: boolean;
  /**
   * [L, S] or [N·numHeads, L, S]: nonzero means "may not attend" (PyTorch's bool mask here is the
   * opposite of scaledDotProductAttention's); a floating-point mask is added to the scores.
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true): [N, L, S], else [N, H, L, S]. */
  averageAttnWeights?: boolean;
}

/**
 * Multi-head attention, as PyTorch's `nn.MultiheadAttention`: the queries, keys and values are
 * projected, split into `numHeads` heads of embedDim/numHeads features, attended separately
 * (scaled dot products, softmax) and joined by an output projection. Parameters carry PyTorch's
 * names, so state dicts load across: `in_proj_weight` [3E, E] (or `q_proj_weight`,
 * `k_proj_weight`, `v_proj_weight` when kdim or vdim differ from E), `in_proj_bias` [3E],
 * `out_proj.weight` and `out_proj.bias`; initialized as PyTorch does (Xavier-uniform projections,
 * zero biases).
 *
 * `attend(query, key, value, options)` is PyTorch's forward and returns `[output, weights]`;
 * `call(query, key?, value?)` returns the output alone (a Module's forward gives one tensor), so
 * `mha.call(x)` is self-attention.
 *
 * @example
 * const mha = new MultiheadAttention(8, 2, { batchFirst: true });
 * const x = randn([4, 5, 8]); // [batch, sequence, features]
 * const [out, weights] = mha.attend(x, x, x);
 * out.shape; // => [4, 5, 8]
 * weights?.shape; // => [4, 5, 5]
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  private readonly _generator: Generator | undefined;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const ctx = { where: 'MultiheadAttention' };
    const o = checkObject(ctx, 'options', options) as MultiheadAttentionOptions;
    this.embedDim = checkInteger(ctx, 'embedDim', embedDim, 1);
    this.numHeads = checkInteger(ctx, 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0)
      throw new RangeError(
        `MultiheadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`,
      );
    this.headDim = embedDim / numHeads;
    this.kdim = checkInteger(ctx, 'kdim', o.kdim ?? embedDim, 1);
    this.vdim = checkInteger(ctx, 'vdim', o.vdim ?? embedDim, 1);
    const p = o.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      fail(ctx, 'dropout', 'a probability in [0, 1]', p);
    this.dropout = p;
    this.batchFirst = checkBoolean(ctx, 'batchFirst', o.batchFirst ?? false);
    const bias = checkBoolean(ctx, 'bias', o.bias ?? true);
    const dtype = checkChoice(ctx, 'dtype', o.dtype ?? 'float32', FLOAT_DTYPES);
    this._generator = o.generator;
    const param = (shape: number[]): Parameter =>
      new Parameter(new Tensor(storage(shape, dtype), shape));
    const e = embedDim;
    if (this.kdim === e && this.vdim === e)
      this.registerParameter('in_proj_weight', param([3 * e, e]));
    else {
      this.registerParameter('q_proj_weight', param([e, e]));
      this.registerParameter('k_proj_weight', param([e, this.kdim]));
      this.registerParameter('v_proj_weight', param([e, this.vdim]));
    }
    if (bias) this.registerParameter('in_proj_bias', param([3 * e]));
    this.registerModule('out_proj', new Linear(e, e, { bias, dtype, generator: o.generator }));
    this.resetParameters(o.generator);
  }

  /** The output projection (`out_proj`). */
  get outProj(): Linear {
    return this.namedModules().find(([name]) => name === 'out_proj')![1] as Linear;
  }

  /** The packed query, key and value projections [3E, E] (`in_proj_weight`), null with kdim/vdim. */
  get inProjWeight(): Parameter | null {
    return this.param('in_proj_weight');
  }

  /** The projections' biases [3E] (`in_proj_bias`), null without bias. */
  get inProjBias(): Parameter | null {
    return this.param('in_proj_bias');
  }

  /** A parameter by its PyTorch name, or null when this configuration has none. */
  private param(name: string): Parameter | null {
    return this.namedParameters().find(([n]) => n === name)?.[1] ?? null;
  }

  /** The projection weight of queries (0), keys (1) or values (2), [E, features]. */
  private projection(which: 0 | 1 | 2): [Tensor, Tensor | null] {
    const e = this.embedDim;
    const packed = this.param('in_proj_weight');
    const w =
      packed?.narrow(0, which * e, e) ?? this.param(['q', 'k', 'v'][which] + '_proj_weight')!;
    return [w, this.param('in_proj_bias')?.narrow(0, which * e, e) ?? null];
  }

  /** Xavier-uniform projections and zero biases, as PyTorch's `_reset_parameters`. */
  override resetParameters(generator?: Generator): void {
    this.outProj.resetParameters(generator);
    for (const name of ['in_proj_weight', 'q_proj_weight', 'k_proj_weight', 'v_proj_weight']) {
      const p = this.param(name);
      if (p !== null) xavierUniform(p, { generator });
    }
    this.param('in_proj_bias')?.data.fill(0);
    this.outProj.bias?.data.fill(0);
  }

  /** Self-attention by default (`key` = `query`, `value` = `key`); the output alone. */
  forward(query: Tensor, key: Tensor = query, value: Tensor = key): Tensor {
    return this.attend(query, key, value, { needWeights: false })[0];
  }

  /**
   * PyTorch's forward: `[output, weights]` for query [L, N, E] (or [N, L, E] with `batchFirst`,
   * or [L, E] unbatched), key [S, N, kdim] and value [S, N, vdim]; the output has the query's
   * shape, the weights are [N, L, S] averaged over the heads (null without `needWeights`).
   */
  attend(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: AttendOptions = {},
  ): [Tensor, Tensor | null] {
    const o = checkObject({ where: 'MultiheadAttention' }, 'options', options) as AttendOptions;
    const batched = this.checkInputs(query, key, value);
    const toBatchFirst = (t: Tensor): Tensor =>
      !batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1);
    const [q, k, v] = [query, key, value].map((t, i) =>
      this.heads(toBatchFirst(t), i as 0 | 1 | 2),
    );
    const weights = attentionWeights(
      q,
      k,
      {
        attnMask: this.combinedMask(o, q.shape[0], q.shape[2], k.shape[2], batched, q.dtype),
        dropoutP: this.training ? this.dropout : 0,
        generator: this._generator,
      },
      'MultiheadAttention',
    );
    const [n, , l] = q.shape;
    const joined = matmul(weights, v).permute([0, 2, 1, 3]).reshape([n, l, this.embedDim]);
    const out = this.outProj.call(joined);
    const output = !batched ? out.squeeze(0) : this.batchFirst ? out : out.transpose(0, 1);
    if (o.needWeights === false) return [output, null];
    const w = o.averageAttnWeights === false ? weights : weights.mean(1);
    return [output, batched ? w : w.squeeze(0)];
  }

  /** [N, T, features] projected and split into heads: [N, H, T, headDim]. */
  private heads(x: Tensor, which: 0 | 1 | 2): Tensor {
    const [w, b] = this.projection(which);
    let y = matmul(x, w.transpose(0, 1));
    if (b !== null) y = y.add(b);
    const [n, t] = x.shape;
    return y.reshape([n, t, this.numHeads, this.headDim]).permute([0, 2, 1, 3]);
  }

  /** Whether the inputs are batched (3-D) or not (2-D); refuses mismatched shapes. */
  private checkInputs(query: Tensor, key: Tensor, value: Tensor): boolean {
    [query, key, value].forEach((t, i) => {
      if (!(t instanceof Tensor))
        fail(
          { where: 'MultiheadAttention' },
          ['query', 'key', 'value'][i],
          'a Tensor',
          t,
          TypeError,
        );
    });
    const batched = query.ndim === 3;
    const features = [this.embedDim, this.kdim, this.vdim];
    [query, key, value].forEach((t, i) => {
      if (
        t.ndim !== query.ndim ||
        (t.ndim !== 2 && t.ndim !== 3) ||
        t.shape[t.ndim - 1] !== features[i]
      )
        throw new RangeError(
          `${this.toString()}: expected query, key and value of 3 (batched) or 2 (unbatched) dimensions with ${features.join(', ')} features, got ${[query, key, value].map((x) => formatShape(x.shape)).join(', ')}`,
        );
    });
    return batched;
  }

  /** The masks as one additive float mask, broadcastable to [N, H, L, S]. */
  private combinedMask(
    o: AttendOptions,
    n: number,
    l: number,
    s: number,
    batched: boolean,
    dtype: string,
  ): Tensor | null {
    const additive = (m: Tensor): Tensor =>
      isFloating(m.dtype) ? m : where(m, -Infinity, 0).to(dtype as FloatDType);
    let mask: Tensor | null = null;
    if (o.attnMask != null) {
      const m = additive(o.attnMask);
      mask = m.ndim === 3 ? m.reshape([n, this.numHeads, l, s]) : m;
    }
    if (o.keyPaddingMask != null) {
      const m = additive(o.keyPaddingMask).reshape([batched ? n : 1, 1, 1, s]);
      mask = mask === null ? m : mask.add(m);
    }
    return mask;
  }

  /** The layer from its `toConfig()` (weights freshly drawn). */
  static fromConfig(config: ModuleConfig): MultiheadAttention {
    const f = configFields(config);
    const e = f.integer('embedDim', 1);
    return new MultiheadAttention(e, f.integer('numHeads', 1), {
      dropout: f.probability('dropout', 0),
      bias: f.boolean('bias', true),
      kdim: f.integer('kdim', 1, e),
      vdim: f.integer('vdim', 1, e),
      batchFirst: f.boolean('batchFirst', false),
      dtype: f.dtype(),
    });
  }

  override toConfig(): ModuleConfig {
    return {
      type: 'MultiheadAttention',
      embedDim: this.embedDim,
      numHeads: this.numHeads,
      dropout: this.dropout,
      bias: this.param('in_proj_bias') !== null,
      kdim: this.kdim,
      vdim: this.vdim,
      batchFirst: this.batchFirst,
      ...(this.outProj.weight.dtype === 'float32' ? {} : { dtype: this.outProj.weight.dtype }),
    };
  }

  override toString(): string {
    return `MultiheadAttention(${this.embedDim}, heads=${this.numHeads})`;
  }
}
