/**
 * Training on the digits, a mini-batch at a time: the networks `nabla train` builds for MNIST (the
 * MLP 784-256-10 with ReLU and dropout 0.2 by default, `--model cnn`'s LeNet-like network), Adam,
 * and seeded shuffles. No DOM: it runs in the digits worker, and the tests run it in Node.
 *
 * @module
 */
import {
  Adam,
  Generator,
  crossEntropy,
  evalMode,
  lenet5,
  manualSeed,
  mlp,
  noGrad,
  tensor,
  type LabeledData,
  type Module,
  type Tensor,
} from 'nabla';

/** The two networks the page offers. */
export type DigitsModel = 'mlp' | 'cnn';

/**
 * How each network trains here. The networks are `nabla train`'s; the batch and rate are the
 * page's own, chosen so that the MLP passes 94% test accuracy in two epochs of its 8,000 images
 * (measured on the js backend, seeds 0, 1, 2: 94.2%, 93.7%, 94.0% after two epochs with batches of
 * 48 at 0.003; batches of 32 at 0.002 need three, the CLI's 64 at 0.001 five).
 * The CNN takes the CLI's rate, twice Adam's default, without its random crops.
 */
export const RECIPES: Record<DigitsModel, { label: string; lr: number; batchSize: number }> = {
  mlp: { label: 'MLP 784-256-10 (ReLU, dropout 0.2)', lr: 0.003, batchSize: 48 },
  cnn: {
    label: 'CNN: 2 × [conv 5×5, batch norm, ReLU, pool] (16, 32 channels) → 128 → 10',
    lr: 0.002,
    batchSize: 32,
  },
};

/** The test images evaluated at a time: an epoch's evaluation is done in slices of this size. */
export const EVAL_CHUNK = 250;

export function buildDigitsModel(kind: DigitsModel, generator: Generator): Module {
  if (kind === 'mlp') return mlp([784, 256, 10], { activation: 'relu', dropout: 0.2, generator });
  return lenet5({
    inChannels: 1,
    imageSize: 28,
    classes: 10,
    channels: [16, 32],
    hidden: [128],
    batchNorm: true,
    dropout: 0.25,
    generator,
  });
}

/** Flat rows [n, 784] as the network takes them: as they are, or images [n, 1, 28, 28]. */
const shaped = (kind: DigitsModel, x: Tensor): Tensor =>
  kind === 'mlp' ? x : x.reshape([x.shape[0], 1, 28, 28]);

/** How many of `logits`' rows have their largest value at the label. */
function countRight(logits: Tensor, y: Tensor): number {
  const guess = logits.argmax(-1).data;
  const labels = y.data;
  let right = 0;
  for (let i = 0; i < guess.length; i++) if (guess[i] === labels[i]) right++;
  return right;
}

export class DigitsTrainer {
  readonly model: Module;
  /** Mini-batch steps taken, and whole passes over the training images. */
  step = 0;
  epoch = 0;
  private readonly optimizer: Adam;
  private readonly generator: Generator;
  private order = new Int32Array(0);
  private cursor = 0;

  /** `train` and `test` hold flat rows [n, 784] in [0, 1] and labels [n]. */
  constructor(
    readonly kind: DigitsModel,
    private readonly train: LabeledData,
    readonly test: LabeledData,
    seed = 0,
  ) {
    // One seed makes the run: the initial weights, the shuffles and the dropout masks.
    manualSeed(seed);
    this.generator = new Generator(seed);
    this.model = buildDigitsModel(kind, this.generator);
    this.optimizer = new Adam(this.model.parameters(), { lr: RECIPES[kind].lr });
  }

  get batchSize(): number {
    return RECIPES[this.kind].batchSize;
  }

  stepsPerEpoch(): number {
    return Math.ceil(this.train.y.shape[0] / this.batchSize);
  }

  /** The indices of the next mini-batch; a new shuffle starts each epoch. */
  private nextBatch(): Int32Array {
    const n = this.train.y.shape[0];
    if (this.cursor >= this.order.length) {
      this.order = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = this.generator.uniformInt(i + 1);
        [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
      }
      this.cursor = 0;
    }
    const batch = this.order.subarray(this.cursor, Math.min(n, this.cursor + this.batchSize));
    this.cursor += this.batchSize;
    return batch;
  }

  /**
   * One step of Adam on the next mini-batch. Returns the batch's mean loss, how many of it the
   * network classified right (before the step), its size, and whether it ended an epoch.
   */
  stepOnce(): { loss: number; right: number; size: number; endsEpoch: boolean } {
    const idx = tensor(this.nextBatch(), { dtype: 'int32' });
    const x = shaped(this.kind, this.train.x.indexSelect(0, idx));
    const y = this.train.y.indexSelect(0, idx);
    this.model.train();
    const logits = this.model.call(x);
    const loss = crossEntropy(logits, y);
    const value = loss.item();
    const right = noGrad(() => countRight(logits, y));
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.step++;
    const endsEpoch = this.cursor >= this.order.length;
    if (endsEpoch) this.epoch++;
    return { loss: value, right, size: idx.shape[0], endsEpoch };
  }

  /** The summed loss and the number right over test images [from, to), without dropout. */
  evaluate(from: number, to: number): { lossSum: number; right: number } {
    return evalMode(this.model, () =>
      noGrad(() => {
        const x = shaped(this.kind, this.test.x.narrow(0, from, to - from));
        const y = this.test.y.narrow(0, from, to - from);
        const logits = this.model.call(x);
        return {
          lossSum: crossEntropy(logits, y).item() * (to - from),
          right: countRight(logits, y),
        };
      }),
    );
  }

  /** The ten class probabilities of one 28 × 28 image (784 values in [0, 1], row by row). */
  predict(pixels: Float32Array): Float32Array {
    return evalMode(this.model, () =>
      noGrad(() => {
        const x = shaped(this.kind, tensor(pixels).reshape([1, 784]));
        return Float32Array.from(this.model.call(x).softmax(-1).data as Float32Array);
      }),
    );
  }
}
