import { afterEach, describe, expect, it } from 'vitest';
import {
  conv2d,
  emptyCache,
  gradients,
  manualSeed,
  maxPool2d,
  memoryStats,
  randn,
  type Tensor,
} from '../../src/index.js';
import { allocate, allocateOverwritten } from '../../src/tensor/dtype.js';
import { engine } from '../../src/tensor/state.js';
import { BIG_BYTES, CACHE_LIMIT, release } from '../../src/tensor/storage.js';

// The caching allocator: the engine gives dead gradients back, later allocations take them
// zeroed, and nothing a user can see is ever reused.

afterEach(() => emptyCache());

/** A small CNN's step: large intermediates (64×64 images), a scatter (max-pool's backward). */
function step(x: Tensor, w: Tensor, v: Tensor): void {
  const h = conv2d(x, w, null, { padding: 1 }).relu();
  maxPool2d(h, 2).mul(v).sum().backward();
}

function params(): { x: Tensor; w: Tensor; v: Tensor } {
  manualSeed(3);
  return {
    x: randn([2, 3, 64, 64]),
    w: randn([4, 3, 3, 3], { requiresGrad: true }),
    v: randn([2, 4, 32, 32], { requiresGrad: true }),
  };
}

describe('caching allocator', () => {
  it('reuses the gradients of one backward pass in the next, with the same results', () => {
    const { x, w, v } = params();
    emptyCache();
    const before = memoryStats();
    step(x, w, v);
    const first = [w.grad!.data.slice(), v.grad!.data.slice()];
    const released = memoryStats().releasedBytes - before.releasedBytes;
    expect(released).toBeGreaterThanOrEqual(2 * 4 * 64 * 64 * 4); // relu's and pool's gradients
    for (let i = 0; i < 3; i++) {
      w.grad = null;
      v.grad = null;
      step(x, w, v);
      expect(w.grad!.data).toEqual(first[0]);
      expect(v.grad!.data).toEqual(first[1]);
    }
    const after = memoryStats();
    expect(after.reusedBytes - before.reusedBytes).toBeGreaterThan(0);
    expect(after.cachedBytes).toBeLessThanOrEqual(after.limitBytes);
    expect(after.peakCachedBytes).toBeGreaterThanOrEqual(after.cachedBytes);
  });

  it('never reuses a gradient the user can see: retained, captured or stored in .grad', () => {
    const { x, w, v } = params();
    const h = conv2d(x, w, null, { padding: 1 });
    h.retainGrad();
    const r = h.relu();
    r.retainGrad();
    maxPool2d(r, 2).mul(v).sum().backward();
    const kept = [h.grad!, r.grad!, w.grad!, v.grad!];
    const copies = kept.map((g) => g.data.slice());
    const y = conv2d(x, w, null, { padding: 1 }).relu();
    const [gy] = gradients(y.tanh().sum(), [y]);
    const gyCopy = gy.data.slice();
    for (let i = 0; i < 4; i++) {
      // allocations that would take a wrongly freed array; fresh parameters keep w.grad and v.grad
      const p = params();
      step(p.x, p.w, p.v);
    }
    kept.forEach((g, i) => expect(g.data).toEqual(copies[i]));
    expect(gy.data).toEqual(gyCopy);
  });

  it('never reuses a seed or a retained gradient passed on through a reshape', () => {
    for (const retain of [false, true]) {
      const { x, w } = params();
      const h = conv2d(x, w, null, { padding: 1 });
      if (retain) h.retainGrad();
      const flat = h.reshape([2, -1]);
      const seed = randn(flat.shape);
      const seedCopy = seed.data.slice();
      flat.backward(seed); // the seed flows straight through the reshape to h, then to w
      const hGrad = h.grad?.data.slice();
      for (let i = 0; i < 4; i++) {
        const p = params();
        step(p.x, p.w, p.v);
      }
      expect(seed.data).toEqual(seedCopy);
      if (retain) expect(h.grad!.data).toEqual(hGrad);
    }
  });

  it('writes an activation’s gradient into its upstream gradient only when nothing else sees it', () => {
    manualSeed(5);
    const x = randn([64, 64], { requiresGrad: true });
    const seed = randn([64, 64]);
    const seedCopy = seed.data.slice();
    const h = x.mul(2);
    h.retainGrad();
    const y = h.tanh().sigmoid().relu();
    y.backward(seed);
    expect(seed.data).toEqual(seedCopy); // the caller's seed is never written
    const want = (v: number, s: number): number => {
      const t = Math.tanh(2 * v);
      const sg = 1 / (1 + Math.exp(-t));
      return s * (sg > 0 ? 1 : 0) * sg * (1 - sg) * (1 - t * t);
    };
    const hGrad = h.grad!.data;
    for (let i = 0; i < 50; i++) {
      expect(hGrad[i]).toBeCloseTo(want(x.data[i], seedCopy[i]), 5);
      expect(x.grad!.data[i]).toBeCloseTo(2 * hGrad[i], 5);
    }
  });

  it('recycles a node’s workspace (max-pool positions) only once nothing can read it', () => {
    const { x, w, v } = params();
    const before = memoryStats().releasedBytes;
    step(x, w, v);
    const positions = 2 * 4 * 32 * 32 * 4; // maxPool2d's argmax
    expect(memoryStats().releasedBytes - before).toBeGreaterThanOrEqual(positions);
    // A second-order graph keeps reading the positions after its first-order node is freed.
    const xg = randn([2, 4, 64, 64], { requiresGrad: true }); // positions as large as step’s
    const vg = randn([2, 4, 32, 32], { requiresGrad: true });
    const y = maxPool2d(xg, 2);
    const [g1] = gradients(y.mul(vg).sum(), [xg], { createGraph: true }); // vg scattered
    y.mul(vg).sum().backward(); // frees maxPool2d's node
    for (let i = 0; i < 3; i++) {
      const p = params();
      step(p.x, p.w, p.v);
    }
    const u = randn(xg.shape);
    const [gv] = gradients(g1.mul(u).sum(), [vg]); // gathers u at the positions
    const [want] = gradients(maxPool2d(xg, 2).mul(vg).sum(), [xg], { createGraph: true });
    expect(gv.data).toEqual(gradients(want.mul(u).sum(), [vg])[0].data);
  });

  it('hands out reused arrays zeroed, and ignores arrays it did not make or already holds', () => {
    const a = allocate('float32', 1 << 14);
    a.fill(7);
    release(a, 'float32');
    release(a, 'float32'); // a second release of the same array is ignored
    const b = allocate('float32', 1 << 14);
    expect(b).toBe(a);
    expect(b.every((e) => e === 0)).toBe(true);
    expect(allocate('float32', 1 << 14)).not.toBe(a); // only one copy was cached
    const mine = new Float32Array(1 << 14);
    release(mine, 'float32');
    expect(allocate('float32', 1 << 14)).not.toBe(mine);
    const small = allocate('float64', 8);
    release(small, 'float64');
    expect(memoryStats().cachedBytes).toBe(0);
  });

  it('is bounded, and emptyCache() drops what it holds', () => {
    expect(memoryStats().limitBytes).toBe(CACHE_LIMIT);
    const arrays = [allocate('float64', 1 << 12), allocate('float64', 1 << 12)];
    arrays.forEach((a) => release(a, 'float64'));
    expect(memoryStats().cachedBytes).toBe(2 * 8 * (1 << 12));
    emptyCache();
    expect(memoryStats().cachedBytes).toBe(0);
    expect(allocate('float64', 1 << 12)).not.toBe(arrays[1]);
  });

  it('hands a matrix product its output as released, unzeroed, and the product overwrites it', () => {
    const a = allocate('float32', 1 << 12).fill(7);
    release(a, 'float32');
    const reused = allocateOverwritten('float32', 1 << 12);
    expect(reused).toBe(a);
    expect(reused[0]).toBe(7); // not zeroed: its writer overwrites every element
    release(reused, 'float32');
    manualSeed(5);
    const [x, w] = [randn([64, 32]), randn([32, 64])];
    const product = x.matmul(w); // 64×64 = 1 << 12 elements: takes the stale array
    expect(product.data).toBe(a);
    const row = Array.from(x.data.subarray(0, 32));
    const expected = row.reduce((s, v, k) => s + v * w.data[k * 64], 0);
    expect(product.data[0]).toBeCloseTo(expected, 4);
  });
});

describe('memoryStats in use', () => {
  it('is null where the platform does not tell, and Node’s array-buffer bytes in Node', async () => {
    const before = engine.caches.storage.inUseProbe;
    try {
      engine.caches.storage.inUseProbe = undefined;
      expect(memoryStats().inUseBytes).toBeNull();
      await import('../../src/node.js'); // the Node entry installs Node's count
      const start = memoryStats().inUseBytes!;
      expect(start).toBeGreaterThan(0);
      const big = allocate('float32', 16 << 20); // 64 MiB
      expect(memoryStats().inUseBytes! - start).toBeGreaterThanOrEqual(64 << 20);
      release(big, 'float32');
      expect(memoryStats().cachedBytes).toBe(64 << 20);
    } finally {
      engine.caches.storage.inUseProbe = before;
    }
  });
});

describe('fresh arrays not zeroed', () => {
  it('in Node, come from Buffer.allocUnsafeSlow for outputs their kernel overwrites', async () => {
    await import('../../src/node.js'); // the Node entry installs it (imported above too)
    const make = engine.caches.storage.uninitialized;
    expect(make).toBeTypeOf('function');
    expect(make!(BIG_BYTES).byteLength).toBe(BIG_BYTES);
    const out = allocateOverwritten('float64', 1 << 12);
    expect(out).toBeInstanceOf(Float64Array);
    expect([out.length, out.byteOffset, out.buffer.byteLength]).toEqual([1 << 12, 0, 1 << 15]);
    expect(allocate('float64', 1 << 12).every((v) => v === 0)).toBe(true);
  });
});
