/**
 * The operation cases of bench/compare.ts on nabla's side (bench/peers/torch_runner.py's
 * `op_case` is PyTorch's): each step is one call at a realistic size, with its backward pass
 * where the operation is differentiable in training (einsum, attention). Shapes are written once
 * in bench/compare/op-cases.json, which both runners read.
 */
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';
import * as nabla from '../../dist/node.js';
import { timeWindows } from './timing.mjs';

const SHAPES = JSON.parse(
  readFileSync(new URL('../compare/op-cases.json', import.meta.url), 'utf8'),
);

/** One step of each case, given its inputs. */
const STEPS = {
  einsum: ({ a, b }) => nabla.einsum('bhqd,bhkd->bhqk', a, b).sum().backward(),
  sort: ({ x }) => nabla.sort(x, -1),
  topk: ({ x }) => nabla.topk(x, SHAPES.topk.k, -1),
  sdpa: ({ q, k, v }) => nabla.scaledDotProductAttention(q, k, v).sum().backward(),
};

/** Random inputs of the case's shapes; those of differentiable cases require gradients. */
function inputs(name) {
  const grad = name === 'einsum' || name === 'sdpa';
  const out = {};
  for (const [key, shape] of Object.entries(SHAPES[name].inputs)) {
    out[key] = nabla.randn(shape, { requiresGrad: grad });
  }
  return out;
}

/** Calls per second of one operation case, as the training cases report steps per second. */
export function opCase(name, config) {
  const step = STEPS[name];
  if (step === undefined) throw new Error(`nabla-ops.mjs: unknown case ${JSON.stringify(name)}`);
  const xs = inputs(name);
  let last;
  const timing = timeWindows(
    () => (last = step(xs)),
    () => void last,
    config,
  );
  return { ...timing, shapes: SHAPES[name] };
}
