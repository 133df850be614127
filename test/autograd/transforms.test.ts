import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import {
  grad,
  gradcheck,
  hessian,
  jacobian,
  jvp,
  randn,
  tensor,
  vjp,
  vmap,
  Generator,
} from '../../src/index.js';

const f64 = { dtype: 'float64' } as const;
const close = (t: Tensor, expected: unknown): void => {
  const want = (expected as number[]).flat(3) as number[];
  expect(t.data.length).toBe(want.length);
  Array.from(t.data).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
};

// The literals below are torch.autograd.functional's results (torch 1.13, float64) for the same
// functions: f(a, b) = (sin(a[:2])·Σ₀b, Σexp(a)·b) and g = Σ a[:2]³·b[0] + Σa²·b[1,1].
const x = (): Tensor => tensor([0.5, -1, 2], f64);
const y = (): Tensor =>
  tensor(
    [
      [1, 2],
      [0.5, -0.3],
    ],
    f64,
  );
const f = (a: Tensor, b: Tensor): Tensor[] => [
  a.narrow(0, 0, 2).sin().mul(b.sum(0)),
  a.exp().sum().mul(b),
];
const g = (a: Tensor, b: Tensor): Tensor =>
  a
    .narrow(0, 0, 2)
    .pow(3)
    .mul(b.select(0, 0))
    .sum()
    .add(a.square().sum().mul(b.select(0, 1).select(0, 1)));

describe('jacobian', () => {
  it("matches torch's shapes and values for two inputs and two outputs", () => {
    const J = jacobian(f, [x(), y()]);
    expect(J.map((r) => r.map((j) => j.shape))).toEqual([
      [
        [2, 3],
        [2, 2, 2],
      ],
      [
        [2, 2, 3],
        [2, 2, 2, 2],
      ],
    ]);
    close(J[0][0], [
      [1.3163738428355591, 0, 0],
      [0, 0.9185139199758375, 0],
    ]);
    close(
      J[0][1],
      [
        0.479425538604203, -0, 0.479425538604203, -0, 0, -0.8414709848078965, 0,
        -0.8414709848078965,
      ],
    );
    close(
      J[1][0],
      [
        1.6487212707001282, 0.36787944117144233, 7.38905609893065, 3.2974425414002564,
        0.7357588823428847, 14.7781121978613, 0.8243606353500641, 0.18393972058572117,
        3.694528049465325, -0.4946163812100384, -0.1103638323514327, -2.216716829679195,
      ],
    );
  });

  it('gives a lone tensor for one input and one output, zeros for an unused input', () => {
    const J = jacobian((v: Tensor) => v.square(), tensor([1, 2]));
    expect(J.shape).toEqual([2, 2]);
    close(J, [2, 0, 0, 4]);
    const [j0, j1] = jacobian((a: Tensor, _b: Tensor) => a.mul(3), [tensor([1]), tensor([1, 2])]);
    close(j0, [3]);
    expect(j1.shape).toEqual([1, 2]);
    close(j1, [0, 0]);
    expect(() =>
      jacobian((a: Tensor, _b: Tensor) => a.mul(3), [tensor([1]), tensor([1, 2])], {
        strict: true,
      }),
    ).toThrow('jacobian (strict)');
    expect(jacobian((v: Tensor) => v.sum(0), randn([0, 2])).shape).toEqual([2, 0, 2]);
  });

  it('keeps the graph with createGraph (its entries are differentiable)', () => {
    const check = gradcheck(
      (v) => jacobian((u: Tensor) => u.sin().mul(u.sum()), v, { createGraph: true }).sum(),
      [randn([3], { generator: new Generator(1) })],
    );
    expect(check.passed).toBe(true);
  });
});

describe('hessian', () => {
  it("matches torch's blocks for two inputs", () => {
    const H = hessian(g, [x(), y()]);
    expect(H[0][1].shape).toEqual([3, 2, 2]);
    expect(H[1][0].shape).toEqual([2, 2, 3]);
    close(H[0][0], [2.4, -0, 0, 0, -12.6, 0, 0, -0, -0.6]);
    close(H[0][1], [0.75, 0, 0, 1, 0, 3, 0, -2, 0, 0, 0, 4]);
    close(H[1][1], new Array(16).fill(0));
  });

  it('is a lone [n, n] tensor for one input', () => {
    close(
      hessian((v: Tensor) => v.pow(3).sum(), tensor([1, 2], f64)),
      [6, 0, 0, 12],
    );
    expect(() => hessian((v: Tensor) => v.square(), tensor([1, 2]))).toThrow(
      'hessian: f must return a tensor with one element, got shape [2]',
    );
  });
});

describe('vjp and jvp', () => {
  it("match torch's vjp and its double-VJP jvp", () => {
    const [outs, v] = vjp(
      f,
      [x(), y()],
      [
        tensor([1, 2], f64),
        tensor(
          [
            [1, 1],
            [1, 1],
          ],
          f64,
        ),
      ],
    );
    expect((outs as Tensor[]).length).toBe(2);
    close((v as Tensor[])[0], [6.59228190907597, 3.0142420517002906, 23.644979516578083]);
    close(
      (v as Tensor[])[1],
      [9.885082349406424, 7.722714841186427, 9.885082349406424, 7.722714841186427],
    );
    const [, t] = jvp(
      f,
      [x(), y()],
      [
        tensor([1, 0, -1], f64),
        tensor(
          [
            [0, 1],
            [1, 0],
          ],
          f64,
        ),
      ],
    );
    close((t as Tensor[])[0], [1.7957993814397621, -0.8414709848078965]);
    close(
      (t as Tensor[])[1],
      [-5.740334828230522, -2.075012845658824, 6.535489396686959, 1.7221004484691567],
    );
  });

  it('leave v out for a scalar output (vjp) or a one-element input (jvp)', () => {
    const [, gv] = vjp((a: Tensor) => a.square().sum(), tensor([1, 2]));
    close(gv as Tensor, [2, 4]);
    const [, tv] = jvp((a: Tensor) => a.mul(tensor([1, 2, 3])), tensor([2]));
    close(tv as Tensor, [1, 2, 3]);
    expect(() => vjp((a: Tensor) => a.square(), tensor([1, 2]), tensor([1]))).toThrow(
      'vjp: v[0] has shape [1], expected [2]',
    );
  });

  it('agree with each other: ⟨u, J·v⟩ = ⟨uᵀ·J, v⟩', () => {
    const gen = new Generator(7);
    const a = randn([3, 2], { generator: gen, ...f64 });
    const u = randn([2], { generator: gen, ...f64 });
    const v = randn([3, 2], { generator: gen, ...f64 });
    const h = (m: Tensor): Tensor => m.tanh().sum(0).mul(m.select(0, 1));
    const [, jv] = jvp(h, a, v);
    const [, uj] = vjp(h, a, u);
    expect((jv as Tensor).mul(u).sum().item()).toBeCloseTo((uj as Tensor).mul(v).sum().item(), 12);
  });
});

describe('vmap', () => {
  it('maps over a leading axis, with inDims and outDims', () => {
    const dot = (a: Tensor, b: Tensor): Tensor => a.mul(b).sum();
    close(
      vmap(dot)(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([
          [1, 1],
          [1, 0],
        ]),
      ),
      [3, 3],
    );
    close(
      vmap(dot, { inDims: [1, null] })(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([1, 1]),
      ),
      [4, 6],
    );
    const outer = vmap((a: Tensor) => a.mul(tensor([1, 10])), { outDims: 1 });
    const r = outer(tensor([1, 2, 3]));
    expect(r.shape).toEqual([2, 3]);
    close(r, [1, 2, 3, 10, 20, 30]);
    expect(() =>
      vmap(dot)(
        tensor([[1, 2]]),
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow('vmap: the mapped axes differ in size (1 and 2 at argument 1)');
  });

  it('gives per-example gradients as vmap(grad(f))', () => {
    const w = tensor([0.5, -1], f64);
    const loss = (wt: Tensor, xi: Tensor): Tensor => wt.mul(xi).sum().tanh();
    const xs = tensor(
      [
        [1, 2],
        [0, 1],
        [3, -1],
      ],
      f64,
    );
    const per = vmap(grad(loss), { inDims: [null, 0] })(w, xs);
    expect(per.shape).toEqual([3, 2]);
    const rows = [0, 1, 2].map((i) => grad(loss)(w, xs.select(0, i)));
    rows.forEach((row, i) => close(per.select(0, i), Array.from(row.data)));
  });
});
