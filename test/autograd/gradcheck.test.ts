import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { gradcheck, randn, tensor } from '../../src/index.js';
import { defineRules, record } from '../../src/autograd/node.js';
import { unaryKernel } from '../../src/ops/kernels.js';

// A deliberately wrong derivative, to prove gradcheck catches one: d/dx x³ claimed as 2x².
const wrong = defineRules({ wrongCube: (grad, [x]) => [grad.mul(x.mul(x).mul(2))] });
const wrongCube = (x: Tensor): Tensor =>
  record(unaryKernel('neg', unaryKernel('neg', x.mul(x).mul(x).detach())), [x], wrong.wrongCube);

describe('gradcheck', () => {
  it('passes a correct gradient and reports the errors', () => {
    const report = gradcheck((a, b) => a.mul(b).exp().sum(), [randn([2, 3]), randn([3])]);
    expect(report.passed).toBe(true);
    expect(report.mode).toBe('full');
    expect(report.compared).toBe(9);
    expect(report.maxAbsError).toBeLessThan(1e-6);
    expect(report.worst).not.toBeNull();
  });

  it('fails a wrong gradient, naming the worst element and both values', () => {
    const x = tensor([
      [1, 2],
      [3, -1],
    ]);
    const report = gradcheck((v) => wrongCube(v), [x]);
    expect(report.passed).toBe(false);
    // d/dx x³ = 3x² = 27 at x = 3, claimed 18
    expect(report.worst).toMatchObject({ input: 0, index: [1, 0], outputIndex: [1, 0] });
    expect(report.worst!.analytical).toBeCloseTo(18, 6);
    expect(report.worst!.numerical).toBeCloseTo(27, 4);
    expect(() => gradcheck((v) => wrongCube(v), [x], { throwOnFailure: true })).toThrow(
      /gradcheck failed: input 0 \(shape \[2,2\]\) at index \[1,0\], output index \[1,0\]: analytical 18 vs numerical 27/,
    );
  });

  it('fast mode compares random projections and catches the same bug', () => {
    expect(gradcheck((a) => a.tanh().mul(a).sum(), [randn([200, 120])]).mode).toBe('fast');
    expect(gradcheck((a) => a.tanh().mul(a), [randn([4, 5])], { mode: 'fast' }).passed).toBe(true);
    expect(gradcheck((v) => wrongCube(v), [randn([6])], { mode: 'fast' }).passed).toBe(false);
  });

  it('works in float64 whatever the input dtype, and leaves the inputs alone', () => {
    const x = tensor([0.1, 0.2, 0.3]);
    const report = gradcheck((v) => v.sigmoid().log().sum(), [x], { atol: 1e-8, rtol: 1e-7 });
    expect(report.passed).toBe(true);
    expect(x.dtype).toBe('float32');
    expect(x.requiresGrad).toBe(false);
  });

  it('passes int32 inputs through undifferentiated', () => {
    const index = tensor([2, 0], { dtype: 'int32' });
    expect(
      gradcheck((x, i) => x.indexSelect(0, i).square().sum(), [randn([3]), index]).passed,
    ).toBe(true);
  });
});

describe('gradcheck refuses arguments of the wrong sort by name', () => {
  it('names f, inputs and the options', () => {
    expect(() => gradcheck(42 as never, [])).toThrow(/^gradcheck: f must be a function, got 42$/);
    const f = (x: Tensor): Tensor => x.sum();
    expect(() => gradcheck(f, 42 as never)).toThrow(
      /^gradcheck: inputs must be a Tensor or an array of Tensors, got 42$/,
    );
    expect(() => gradcheck(f, [tensor([1]), 'x' as never])).toThrow(
      /^gradcheck: inputs\[1\] must be a Tensor, got "x"$/,
    );
    expect(() => gradcheck(f, [tensor([1])], null as never)).toThrow(
      /^gradcheck: options must be an object, got null$/,
    );
    expect(() => gradcheck(f, [tensor([1])], { eps: 0 })).toThrow(
      /^gradcheck: eps must be a positive number, got 0$/,
    );
  });
});
