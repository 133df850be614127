/**
 * The main job: train a small network on the bundled spiral data (three interleaved arms of 2-D
 * points, one class per arm), by full-batch gradient descent with backpropagation, showing
 * progress. Everything is written with nabla's tensors and autograd: the layers, the softmax
 * cross-entropy loss and the update.
 *
 *   npm start                      # defaults
 *   npm start -- --epochs 500 --hidden 32 --lr 0.5 --seed 7
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Tensor } from 'nabla';
import { Generator, manualSeed, noGrad, randn, tensor, zeros } from 'nabla';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '1000' },
    hidden: { type: 'string', default: '64' },
    lr: { type: 'string', default: '1' },
    l2: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '0' },
    points: { type: 'string', default: '100' },
  },
});

function positiveNumber(name: string, text: string, integer = false): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    console.error(
      `train-spiral: --${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(text)}`,
    );
    process.exit(2);
  }
  return v;
}

const epochs = positiveNumber('epochs', args.epochs!, true);
const hidden = positiveNumber('hidden', args.hidden!, true);
const lr = positiveNumber('lr', args.lr!);
const l2 = Number(args.l2);
const seed = Number(args.seed);
const perClass = positiveNumber('points', args.points!, true);
const classes = 3;

/** Three spiral arms, `perClass` points each, with a little noise: the classic toy problem. */
function spiral(gen: Generator): { x: Tensor; y: Tensor } {
  const n = perClass * classes;
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / (perClass - 1);
      const angle = c * 4 + 4 * r + 0.2 * gen.normal();
      const k = c * perClass + i;
      x[2 * k] = r * Math.sin(angle);
      x[2 * k + 1] = r * Math.cos(angle);
      y[k] = c;
    }
  }
  return { x: tensor(x, { shape: [n, 2] }), y: tensor(y) };
}

manualSeed(seed);
const { x, y } = spiral(new Generator(seed));
const n = x.shape[0];

// Small random initial weights (scaled like Kaiming for ReLU), zero biases.
const W1 = randn([2, hidden], { std: Math.sqrt(2 / 2) }).requiresGrad_();
const b1 = zeros([hidden], { requiresGrad: true });
const W2 = randn([hidden, classes], { std: Math.sqrt(2 / hidden) }).requiresGrad_();
const b2 = zeros([classes], { requiresGrad: true });
const params = [W1, b1, W2, b2];

const forward = (input: Tensor): Tensor => input.matmul(W1).add(b1).relu().matmul(W2).add(b2);

/** Mean softmax cross-entropy: −log p(correct class), through a stable logSoftmax. */
const crossEntropy = (logits: Tensor, labels: Tensor): Tensor =>
  logits.logSoftmax(-1).gather(1, labels.reshape(-1, 1)).mean().neg();

const accuracy = (logits: Tensor, labels: Tensor): number => {
  const predicted = logits.argmax(-1);
  return predicted.eq(labels).sum().item() / labels.size;
};

console.log(
  `nabla: training a 2-${hidden}-${classes} ReLU network on ${n} spiral points (${classes} classes)`,
);
console.log(`full-batch gradient descent, lr ${lr}, L2 ${l2}, ${epochs} epochs, seed ${seed}`);
const bar = new cliProgress.SingleBar(
  {
    format: 'epoch {value}/{total} [{bar}] loss {loss} accuracy {acc}',
    noTTYOutput: true,
    notTTYSchedule: 2000,
    hideCursor: true,
  },
  cliProgress.Presets.shades_classic,
);
bar.start(epochs, 0, { loss: '-', acc: '-' });
const started = performance.now();
let loss = Infinity;
let acc = 0;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const logits = forward(x);
  const dataLoss = crossEntropy(logits, y);
  const penalty = W1.square()
    .sum()
    .add(W2.square().sum())
    .mul(0.5 * l2);
  const total = dataLoss.add(penalty);
  for (const p of params) p.grad = null;
  total.backward();
  noGrad(() => {
    for (const p of params) {
      const updated = p.sub(p.grad!.mul(lr));
      p.data.set(updated.data);
    }
  });
  loss = total.item();
  if (epoch % 10 === 0 || epoch === epochs) acc = noGrad(() => accuracy(logits, y));
  bar.update(epoch, { loss: loss.toFixed(4), acc: `${(acc * 100).toFixed(1)}%` });
}
bar.stop();
const seconds = (performance.now() - started) / 1000;
const finalAcc = noGrad(() => accuracy(forward(x), y));
console.log(
  `done in ${seconds.toFixed(1)} s: loss ${loss.toFixed(4)}, training accuracy ${(finalAcc * 100).toFixed(1)}% (${n} points)`,
);
