/**
 * A 2-3-1 tanh network explained layer by layer: the forward pass s⁽ˡ⁾, o⁽ˡ⁾, the output
 * sensitivity δ⁽ᴸ⁾ = 2(o − y)(1 − o²), the recursion δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾) and the
 * gradients G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ, each checked against autograd; then the network as a neuron
 * diagram (neurons.svg).
 *
 *   npm run build && node --import tsx examples/explain-mlp.ts
 */
import { writeFileSync } from 'node:fs';
import { manualSeed, mlp, tensor } from 'nabla';
import { explainMlp, explainMlpText, neuronDiagram } from 'nabla/viz';

manualSeed(1);
const net = mlp([2, 3, 1], { activation: 'tanh', outputActivation: 'tanh', dtype: 'float64' });
const x = tensor([[1, -1]], { dtype: 'float64' });
const y = tensor([[0.5]], { dtype: 'float64' });
const explanation = explainMlp(net, x, y);
console.log(explainMlpText(explanation));
console.log(
  explanation.agrees ? 'every G⁽ˡ⁾ equals autograd’s gradient' : 'MISMATCH with autograd',
);
writeFileSync(
  'neurons.svg',
  neuronDiagram(net, x, { gradients: true, target: y, title: 'a 2-3-1 tanh network' }),
);
console.log('wrote neurons.svg');
