import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  BatchNorm2d,
  Linear,
  Module,
  Parameter,
  SGD,
  Sequential,
  randn,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index.js';

/** A module with a parameter, a persistent and a non-persistent buffer, and a sub-module. */
class Tracker extends Module {
  scale = new Parameter(tensor([2]));
  inner = new Linear(2, 1);
  constructor() {
    super();
    this.registerBuffer('total', tensor([0, 0]));
    this.registerBuffer('scratch', tensor([7]), { persistent: false });
    this.registerBuffer('absent', null);
  }
  forward(x: Tensor): Tensor {
    return this.inner.call(x.mul(this.scale));
  }
}

describe('buffers', () => {
  it('are listed by namedBuffers, persistent or not, but never as parameters', () => {
    const m = new Tracker();
    expect(m.namedBuffers().map(([k]) => k)).toEqual(['total', 'scratch']);
    expect(m.buffers()).toHaveLength(2);
    expect(m.namedParameters().map(([k]) => k)).toEqual(['scale', 'inner.weight', 'inner.bias']);
    expect(m.numParameters()).toBe(1 + 2 + 1);
    const net = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
    expect(net.namedBuffers('net').map(([k]) => k)).toEqual([
      'net.1.running_mean',
      'net.1.running_var',
      'net.1.num_batches_tracked',
    ]);
    expect(net.numParameters()).toBe(3 * 4 + 4 + 4 + 4);
  });

  it("follow their module's parameters in stateDict, as PyTorch orders them; non-persistent and null ones are left out", () => {
    expect(Object.keys(new Tracker().stateDict())).toEqual([
      'scale',
      'total',
      'inner.weight',
      'inner.bias',
    ]);
    const net = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Linear(4, 2));
    expect(Object.keys(net.stateDict())).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
      '2.weight',
      '2.bias',
    ]);
  });

  it('share storage with the model in stateDict, and keep their dtype (the count is int32)', () => {
    const bn = new BatchNorm1d(2);
    const state = bn.stateDict();
    expect(state.num_batches_tracked.dtype).toBe('int32');
    expect(state.num_batches_tracked.shape).toEqual([]);
    bn.call(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(state.num_batches_tracked.item()).toBe(1);
    expect(Array.from(state.running_mean.data)).toEqual(Array.from(bn.runningMean!.data));
    expect(state.running_mean.requiresGrad).toBe(false);
  });

  it('are loaded by loadStateDict, values converted to the dtype of the buffer', () => {
    const a = new BatchNorm2d(3);
    a.call(randn([4, 3, 2, 2]));
    a.call(randn([4, 3, 2, 2]));
    const b = new BatchNorm2d(3);
    b.loadStateDict(a.stateDict());
    expect(Array.from(b.runningMean!.data)).toEqual(Array.from(a.runningMean!.data));
    expect(Array.from(b.runningVar!.data)).toEqual(Array.from(a.runningVar!.data));
    expect(b.numBatchesTracked!.item()).toBe(2);
    // A count given as a float (or as PyTorch's int64, read as int32) lands in the int32 buffer.
    b.loadStateDict({ ...a.stateDict(), num_batches_tracked: tensor(5) });
    expect(b.numBatchesTracked!.dtype).toBe('int32');
    expect(b.numBatchesTracked!.item()).toBe(5);
  });

  it('are checked in strict mode as parameters are: missing, unexpected, wrong shape', () => {
    const bn = new BatchNorm1d(2);
    const partial = bn.stateDict();
    delete partial.running_var;
    expect(() => bn.loadStateDict(partial)).toThrow(
      'loadStateDict: the state does not match the model: missing running_var',
    );
    expect(() => bn.loadStateDict({ ...bn.stateDict(), running_std: zeros([2]) })).toThrow(
      'unexpected running_std',
    );
    expect(() => bn.loadStateDict({ ...bn.stateDict(), running_mean: zeros([3]) })).toThrow(
      'loadStateDict: running_mean has shape [3] in the state but [2] in the model',
    );
    bn.loadStateDict(partial, { strict: false });
    const m = new Tracker();
    expect(() => m.loadStateDict({ ...m.stateDict(), scratch: tensor([1]) })).toThrow(
      'unexpected scratch',
    );
  });

  it('are not seen by optimizers', () => {
    const net = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
    const opt = new SGD(net.parameters(), { lr: 0.1 });
    const before = net.buffers().map((b) => b);
    expect(opt.paramGroups[0].params.some((p) => before.includes(p as Tensor))).toBe(false);
  });

  it('registerBuffer refuses bad names and values, and clashes', () => {
    const m = new Tracker();
    expect(() => m.registerBuffer('a.b', null)).toThrow('registerBuffer: name must be');
    expect(() => m.registerBuffer('', null)).toThrow('registerBuffer: name must be');
    expect(() => m.registerBuffer('x', [1, 2] as unknown as Tensor)).toThrow(
      'registerBuffer: x must be a Tensor or null',
    );
    expect(() => m.registerBuffer('x', null, { persistent: 1 as unknown as boolean })).toThrow(
      'registerBuffer: options.persistent must be true or false',
    );
    expect(() => m.registerBuffer('scale', null)).toThrow(
      'registerBuffer: Tracker already has an attribute scale',
    );
    m.registerBuffer('total', tensor([1, 1])); // registering a buffer's name again replaces it
    expect(m.getBuffer('total')!.toArray()).toEqual([1, 1]);
  });

  it('getBuffer follows dotted paths, and names what is not a buffer', () => {
    const net = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
    expect(net.getBuffer('1.running_var')!.toArray()).toEqual([1, 1]);
    expect(new Tracker().getBuffer('absent')).toBeNull();
    expect(() => net.getBuffer('1.weight')).toThrow('getBuffer: 1.weight is not a buffer');
    expect(() => net.getBuffer('5.running_var')).toThrow('getBuffer: no sub-module 5');
  });
});

describe('train() and eval()', () => {
  it('switch batch norm between batch statistics (updating the running ones) and running statistics', () => {
    const net = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
    const bn = net.at(1) as BatchNorm1d;
    const x = tensor([
      [1, 2],
      [3, 5],
      [0, -1],
    ]);
    net.eval();
    expect(bn.training).toBe(false);
    const before = Array.from(bn.runningMean!.data);
    const h = (net.at(0) as Linear).call(x);
    // Running mean 0 and variance 1: y = h / √(1 + ε).
    const y = net.call(x);
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo(h.data[i] / Math.sqrt(1 + 1e-5), 5));
    expect(Array.from(bn.runningMean!.data)).toEqual(before);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    net.train();
    expect(bn.training).toBe(true);
    const z = net.call(x);
    // Training: each column normalized by the batch → mean 0.
    for (let c = 0; c < 2; c++) expect(z.data[c] + z.data[2 + c] + z.data[4 + c]).toBeCloseTo(0, 5);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(Array.from(bn.runningMean!.data)).not.toEqual(before);
  });

  it('train() refuses a mode that is not a boolean', () => {
    expect(() => new BatchNorm1d(2).train('no' as unknown as boolean)).toThrow(
      'train: mode must be true or false, got "no"',
    );
  });
});
