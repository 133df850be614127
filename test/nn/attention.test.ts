import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import {
  arange,
  moduleFromConfig,
  MultiheadAttention,
  noGrad,
  randn,
  tensor,
  Generator,
} from '../../src/index.js';
import { torchMha } from './attention-torch.js';

/*
 * The expected values come from torch 1.13 in float64 (attention-torch.ts), for the same weights
 * and inputs, built from sines and cosines of aranges in both:
 *   in_proj_weight = sin(0.37·arange(3E·E)).reshape(3E, E)·0.5   (or q/k/v_proj_weight:
 *     sin(0.37·i)·0.5, cos(0.29·i)·0.5, sin(0.31·i + 0.2)·0.5)
 *   in_proj_bias = cos(0.5·arange(3E))·0.1, out_proj.weight = sin(0.11·arange(E·E) + 0.3),
 *   out_proj.bias = 0.05·arange(E) − 0.1
 *   query = sin(0.41·arange(24)) [3, 2, 4], key = cos(0.23·arange(40)) [5, 2, 4],
 *   value = sin(0.19·arange(40) + 1) [5, 2, 4]
 */

const wave = (n: number, f: number, phase = 0, fn: 'sin' | 'cos' = 'sin'): Tensor => {
  const x = arange(n, { dtype: 'float64' }).mul(f).add(phase);
  return fn === 'sin' ? x.sin() : x.cos();
};

function setWeights(m: MultiheadAttention): void {
  const set = (name: string, t: Tensor): void => {
    const p = m.namedParameters().find(([n]) => n === name)![1];
    p.data.set(t.data);
  };
  const e = m.embedDim;
  noGrad(() => {
    if (m.kdim === e && m.vdim === e) set('in_proj_weight', wave(3 * e * e, 0.37).mul(0.5));
    else {
      set('q_proj_weight', wave(e * e, 0.37).mul(0.5));
      set('k_proj_weight', wave(e * m.kdim, 0.29, 0, 'cos').mul(0.5));
      set('v_proj_weight', wave(e * m.vdim, 0.31, 0.2).mul(0.5));
    }
    set('in_proj_bias', wave(3 * e, 0.5, 0, 'cos').mul(0.1));
    set('out_proj.weight', wave(e * e, 0.11, 0.3));
    set('out_proj.bias', arange(e, { dtype: 'float64' }).mul(0.05).sub(0.1));
  });
}

const close = (t: Tensor, want: readonly number[], digits = 12): void => {
  expect(t.size).toBe(want.length);
  Array.from(t.data).forEach((v, i) => expect(v).toBeCloseTo(want[i], digits));
};

const inputs = (): Tensor[] => [
  wave(24, 0.41).reshape([3, 2, 4]),
  wave(40, 0.23, 0, 'cos').reshape([5, 2, 4]),
  wave(40, 0.19, 1).reshape([5, 2, 4]),
];

describe('MultiheadAttention', () => {
  const make = (): MultiheadAttention => {
    const m = new MultiheadAttention(4, 2, { dtype: 'float64' });
    setWeights(m);
    return m;
  };

  it("has PyTorch's parameter names", () => {
    expect(Object.keys(make().stateDict())).toEqual(torchMha.keys);
    const m = new MultiheadAttention(4, 2, { kdim: 3, vdim: 2 });
    expect(Object.keys(m.stateDict())).toEqual(torchMha.c_keys);
  });

  it("gives PyTorch's output, averaged weights and gradients", () => {
    const m = make();
    const [q, k, v] = inputs();
    const [out, w] = m.attend(q, k, v);
    expect(out.shape).toEqual([3, 2, 4]);
    expect(w!.shape).toEqual([2, 3, 5]);
    close(out, torchMha.a_out);
    close(w!, torchMha.a_w);
    out.square().sum().backward();
    close(m.namedParameters().find(([n]) => n === 'in_proj_weight')![1].grad!, torchMha.a_gin);
    close(m.outProj.weight.grad!, torchMha.a_gout);
  });

  it("applies key padding and attention masks as PyTorch's (nonzero = masked)", () => {
    const m = make();
    const [q, k, v] = inputs();
    const keyPaddingMask = tensor(
      [
        [0, 0, 1, 0, 1],
        [0, 1, 0, 0, 0],
      ],
      { dtype: 'int32' },
    );
    const attnMask = tensor(
      [
        [0, 1, 0, 0, 0],
        [0, 0, 0, 1, 0],
        [1, 0, 0, 0, 0],
      ],
      { dtype: 'int32' },
    );
    const [out, w] = m.attend(q, k, v, { keyPaddingMask, attnMask, averageAttnWeights: false });
    expect(w!.shape).toEqual(torchMha.b_wshape);
    close(out, torchMha.b_out);
    close(w!, torchMha.b_w);
    const floatMask = arange(15, { dtype: 'float64' }).mul(0.1).reshape([3, 5]);
    close(m.attend(q, k, v, { attnMask: floatMask })[0], torchMha.f_out);
  });

  it('takes kdim, vdim and batchFirst', () => {
    const m = new MultiheadAttention(4, 2, {
      kdim: 3,
      vdim: 2,
      batchFirst: true,
      dtype: 'float64',
    });
    setWeights(m);
    const q = wave(24, 0.41).reshape([2, 3, 4]);
    const k = wave(30, 0.23, 0, 'cos').reshape([2, 5, 3]);
    const v = wave(20, 0.19, 1).reshape([2, 5, 2]);
    const [out, w] = m.attend(q, k, v);
    close(out, torchMha.c_out);
    close(w!, torchMha.c_w);
  });

  it('takes unbatched inputs, and call() is the output alone (self-attention by default)', () => {
    const m = make();
    const [q, k, v] = inputs();
    const [out, w] = m.attend(q.select(1, 0), k.select(1, 0), v.select(1, 0));
    expect(out.shape).toEqual(torchMha.d_oshape);
    expect(w!.shape).toEqual(torchMha.d_wshape);
    close(out, torchMha.d_out);
    close(m.call(q, k, v), torchMha.a_out);
    expect(m.call(q).shape).toEqual([3, 2, 4]);
    expect(m.attend(q, k, v, { needWeights: false })[1]).toBe(null);
  });

  it('drops attention weights only in training mode, from its generator', () => {
    const m = new MultiheadAttention(4, 2, { dropout: 0.5, generator: new Generator(1) });
    const x = randn([3, 2, 4], { generator: new Generator(2) });
    const [, w] = m.attend(x, x, x, { averageAttnWeights: false });
    const zeros = Array.from(w!.data).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
    m.eval();
    const [, we] = m.attend(x, x, x, { averageAttnWeights: false });
    expect(Array.from(we!.data).every((v) => v > 0)).toBe(true);
  });

  it('rebuilds from its config and refuses bad shapes', () => {
    const m = new MultiheadAttention(6, 3, { kdim: 2, batchFirst: true, bias: false });
    const copy = moduleFromConfig(m.toConfig()) as MultiheadAttention;
    expect(copy.toConfig()).toEqual(m.toConfig());
    expect(Object.keys(copy.stateDict())).toEqual([
      'q_proj_weight',
      'k_proj_weight',
      'v_proj_weight',
      'out_proj.weight',
    ]);
    expect(() => new MultiheadAttention(5, 2)).toThrow(
      'embedDim 5 must be divisible by numHeads 2',
    );
    expect(() => make().attend(randn([3, 2, 5]), randn([3, 2, 4]), randn([3, 2, 4]))).toThrow(
      'MultiheadAttention(4, heads=2): expected query, key and value',
    );
  });
});
