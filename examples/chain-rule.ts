/**
 * The chain rule on the lectures' first example: f = (x + y)·z at x = −2, y = 5, z = −4.
 * Addition distributes the upstream gradient; multiplication swaps its inputs.
 *
 *   node --import tsx examples/chain-rule.ts
 */
import { scalar } from 'nabla';

const x = scalar(-2, { requiresGrad: true, name: 'x' });
const y = scalar(5, { requiresGrad: true, name: 'y' });
const z = scalar(-4, { requiresGrad: true, name: 'z' });
const q = x.add(y); // q = 3
const f = q.mul(z); // f = −12
f.backward();
console.log(`f = ${f.item()}`);
console.log(`∂f/∂x = ${x.grad?.item()}, ∂f/∂y = ${y.grad?.item()}, ∂f/∂z = ${z.grad?.item()}`); // −4, −4, 3
