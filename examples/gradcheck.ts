/**
 * Checking an analytic gradient against the numerical one (central finite differences in
 * float64), as the lectures recommend before trusting a backward pass.
 *
 *   node --import tsx examples/gradcheck.ts
 */
import type { Tensor } from 'nabla';
import { gradcheck, randn } from 'nabla';

const layer = (x: Tensor, w: Tensor, b: Tensor): Tensor =>
  x.matmul(w).add(b).tanh().square().mean();
const report = gradcheck(layer, [randn([4, 3]), randn([3, 2]), randn([2])]);
console.log(report.passed ? 'gradients agree' : 'gradients differ', report);
