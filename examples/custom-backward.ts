/**
 * Writing a layer's backward pass by hand and checking it, as the lectures' exercise asks:
 * a Linear layer y = x·Wᵀ + b and a sigmoid as custom operations (`customOp`), each with the
 * backward a student derives, then `gradcheck` against finite differences. A second Linear with a
 * classic slip (the weight gradient without its transpose) shows what a failed check says.
 *
 *   node --import tsx examples/custom-backward.ts
 */
import type { Tensor } from 'nabla';
import { customOp, gradcheck, Generator, randn, tensor } from 'nabla';
import { explainBackward, explainText } from 'nabla/viz';

// y = x·Wᵀ + b.  With δ = ∂L/∂y:  ∂L/∂x = δ·W,  ∂L/∂W = δᵀ·x (the outer products),  ∂L/∂b = Σ δ.
const linear = customOp({
  name: 'myLinear',
  forward(ctx, x: Tensor, w: Tensor, b: Tensor) {
    ctx.saveForBackward(x, w);
    return x.matmul(w.transpose(0, 1)).add(b);
  },
  backward(ctx, delta) {
    const [x, w] = ctx.savedTensors;
    return [delta.matmul(w), delta.transpose(0, 1).matmul(x), delta.sum(0)];
  },
  formula: ['W (sent back as δ·W)', 'x (sent back as δᵀ·x)', '1 (summed over the batch)'],
});

// σ′(s) = σ(s)(1 − σ(s)): the backward needs only the output, so the forward saves that.
const sigmoid = customOp({
  name: 'mySigmoid',
  forward(ctx, s: Tensor) {
    const o = s.neg().exp().add(1).reciprocal();
    ctx.saveForBackward(o);
    return o;
  },
  backward(ctx, delta) {
    const [o] = ctx.savedTensors;
    return delta.mul(o).mul(o.neg().add(1));
  },
  formula: 'σ(s)(1 − σ(s))',
});

// The same layer with a slip: δᵀ·x transposed the wrong way round (shape [in, out], not [out, in]
// — square here, so no shape error would catch it).
const buggyLinear = customOp({
  name: 'buggyLinear',
  forward(ctx, x: Tensor, w: Tensor, b: Tensor) {
    ctx.saveForBackward(x, w);
    return x.matmul(w.transpose(0, 1)).add(b);
  },
  backward(ctx, delta) {
    const [x, w] = ctx.savedTensors;
    return [delta.matmul(w), x.transpose(0, 1).matmul(delta), delta.sum(0)];
  },
});

const gen = new Generator(0);
const [x, w, b] = [
  randn([5, 3], { generator: gen }),
  randn([3, 3], { generator: gen }),
  randn([3], { generator: gen }),
];
const layer = (xx: Tensor, ww: Tensor, bb: Tensor): Tensor => sigmoid(linear(xx, ww, bb));

console.log(
  'my layer:   ',
  gradcheck(layer, [x, w, b]).passed ? 'gradients agree' : 'gradients differ',
);
const report = gradcheck(buggyLinear, [x, w, b]);
console.log('buggy layer:', report.passed ? 'gradients agree' : 'gradients differ', report.worst);

// The custom operations appear in explanations under their names, with the formulas given.
const x1 = tensor([[1, -2]], { requiresGrad: true, name: 'x' });
const w1 = tensor([[0.5, 0.25]], { requiresGrad: true, name: 'W' });
const b1 = tensor([0.1], { requiresGrad: true, name: 'b' });
console.log(explainText(explainBackward(layer(x1, w1, b1).sum())));
