/**
 * Derivatives of derivatives: grad composes, because every derivative rule is itself written
 * with differentiable tensor operations.
 *
 *   node --import tsx examples/higher-order.ts
 */
import type { Tensor } from 'nabla';
import { grad, scalar, tensor } from 'nabla';

const cube = (x: Tensor): Tensor => x.pow(3);
const x = scalar(2);
console.log(`d/dx x³ at 2   = ${grad(cube)(x).item()}`); // 3x² = 12
console.log(`d²/dx² x³ at 2 = ${grad(grad(cube))(x).item()}`); // 6x = 12

// A Hessian-vector product without forming the Hessian: ∇(∇f · v)
const f = (w: Tensor): Tensor => w.pow(4).sum();
const v = tensor([1, 0, -1]);
const hvp = grad((w: Tensor) => grad(f)(w).mul(v).sum());
console.log(`H·v for f = Σ w⁴ at [1, 2, 3]:`, hvp(tensor([1, 2, 3])).toArray()); // 12w²·v = [12, 0, -108]
