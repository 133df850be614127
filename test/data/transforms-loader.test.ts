import { describe, expect, it } from 'vitest';
import { TensorDataset } from '../../src/data/dataset.js';
import { DataLoader, type DataLoaderState } from '../../src/data/loader.js';
import { Compose, Normalize, RandomCrop, RandomHorizontalFlip } from '../../src/data/transforms.js';
import { Generator } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** 20 random 2×6×6 images labeled 0…19. */
function images(): TensorDataset {
  const g = new Generator(11);
  const x = new Tensor(
    Float32Array.from({ length: 20 * 2 * 36 }, () => g.random()),
    [20, 2, 6, 6],
  );
  return new TensorDataset(
    x,
    new Tensor(
      Int32Array.from({ length: 20 }, (_, i) => i),
      [20],
    ),
  );
}

const augment = (): Compose =>
  new Compose([
    new RandomCrop(6, { padding: 2 }),
    new RandomHorizontalFlip(),
    new Normalize([0.5, 0.5], [0.25, 0.25]),
  ]);

const loader = (seed: number): DataLoader =>
  new DataLoader(images(), {
    batchSize: 6,
    shuffle: true,
    generator: new Generator(seed),
    transform: augment(),
  });

/** Every batch of one epoch as plain numbers. */
const epoch = (l: Iterable<Tensor[]>): number[][][] =>
  Array.from(l, (batch) => batch.map((t) => Array.from(t.data)));

describe('a DataLoader with a transform', () => {
  it('transforms the inputs of each batch and leaves the labels alone', () => {
    const [x, y] = loader(0)[Symbol.iterator]().next().value as Tensor[];
    expect(x.shape).toEqual([6, 2, 6, 6]);
    expect(y.dtype).toBe('int32');
    const raw = new DataLoader(images(), {
      batchSize: 6,
      shuffle: true,
      generator: new Generator(0),
    });
    const [x0, y0] = raw[Symbol.iterator]().next().value as Tensor[];
    expect(Array.from(y.data)).toEqual(Array.from(y0.data));
    expect(Array.from(x.data)).not.toEqual(Array.from(x0.data));
  });

  it('draws the same order and augmentations from the same seed, in the same draws as by hand', () => {
    expect(epoch(loader(3))).toEqual(epoch(loader(3)));
    expect(epoch(loader(3))).not.toEqual(epoch(loader(4)));
    // By hand: the permutation first, then each batch's augmentation from the same generator.
    const g = new Generator(3);
    const plain = new DataLoader(images(), { batchSize: 6, shuffle: true, generator: g });
    const t = augment();
    const byHand = Array.from(plain, ([x, y]) => [
      Array.from(t.call(x, g).data),
      Array.from(y.data),
    ]);
    expect(epoch(loader(3))).toEqual(byHand);
  });

  it('draws new augmentations every epoch', () => {
    const l = new DataLoader(images(), {
      batchSize: 20,
      generator: new Generator(1),
      transform: augment(),
    });
    const [first, second] = [epoch(l), epoch(l)];
    expect(first[0][1]).toEqual(second[0][1]); // no shuffling: same labels
    expect(first[0][0]).not.toEqual(second[0][0]);
  });

  it('resumes mid-epoch from its state dict with identical batches, through JSON', () => {
    const whole = loader(5);
    const reference = [...epoch(whole), ...epoch(whole)];
    const run = loader(5);
    const seen = epoch(run); // epoch 1
    const it = run[Symbol.iterator]();
    seen.push(
      ...[it.next(), it.next()].map((r) => (r.value as Tensor[]).map((t) => Array.from(t.data))),
    );
    const state = run.stateDict();
    expect(state.batch).toBe(2);
    const json = JSON.parse(JSON.stringify({ ...state, order: Array.from(state.order!) }));
    const restored: DataLoaderState = { ...json, order: Int32Array.from(json.order) };
    const resumed = loader(999); // another seed: everything comes from the state
    resumed.loadStateDict(restored);
    const rest = epoch(resumed);
    expect(rest).toHaveLength(2);
    expect([...seen, ...rest]).toEqual(reference);
    expect(epoch(resumed)).toEqual(epoch(whole)); // and the next epoch too
  });

  it('after a finished epoch, its state starts the next one afresh', () => {
    const a = loader(6);
    epoch(a);
    const state = a.stateDict();
    expect([state.order, state.batch]).toEqual([null, 0]);
    const b = loader(0);
    b.loadStateDict(state);
    expect(epoch(b)).toEqual(epoch(a));
  });

  it('keeps an epoch drawn but not yet started', () => {
    const a = loader(8);
    const { batches } = a.epoch();
    const state = a.stateDict();
    expect(state.order).not.toBeNull();
    const b = loader(0);
    b.loadStateDict(state);
    expect(epoch(b)).toEqual(epoch({ [Symbol.iterator]: () => batches }));
  });

  it('refuses a bad transform and a state that does not fit', () => {
    expect(() => new DataLoader(images(), { transform: (() => 1) as never })).toThrow(
      'DataLoader: transform must be a transform',
    );
    const l = loader(0);
    const generator = new Generator(0).getState();
    expect(() => l.loadStateDict(null as never)).toThrow('DataLoader.loadStateDict: expected');
    expect(() => l.loadStateDict({ order: [0, 1] as never, batch: 1, generator })).toThrow(
      'order must be an Int32Array or null',
    );
    expect(() => l.loadStateDict({ order: null, batch: 9, generator })).toThrow(
      'batch 9 is beyond the 4 batches of an epoch',
    );
    expect(() => l.loadStateDict({ order: new Int32Array(3), batch: 1, generator })).toThrow(
      'has 3 items but the dataset has 20',
    );
  });

  it('refuses flat rows for an image transform, with what to do', () => {
    const flat = new TensorDataset(new Tensor(new Float32Array(40), [4, 10]));
    const l = new DataLoader(flat, { batchSize: 2, transform: new RandomHorizontalFlip() });
    expect(() => epoch(l)).toThrow('RandomHorizontalFlip.call: expected images [N, C, H, W]');
  });
});
