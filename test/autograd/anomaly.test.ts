import { describe, expect, it } from 'vitest';
import { AnomalyError, detectAnomaly, tensor } from '../../src/index.js';

describe('detectAnomaly', () => {
  it('stops at the first forward operation that makes NaN, naming it and the user line', () => {
    const x = tensor([-1, 4], { requiresGrad: true });
    let error: unknown;
    try {
      detectAnomaly(() => {
        const y = x.mul(2);
        return y.log().sum(); // log(-2) = NaN
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnomalyError);
    const a = error as AnomalyError;
    expect(a.op).toBe('log');
    expect(a.phase).toBe('forward');
    expect(a.message).toMatch(
      /detectAnomaly: log produced NaN in its forward result \(shape \[2\], at index \[0\]\)/,
    );
    expect(a.location).toMatch(/anomaly\.test\.ts:\d+:\d+$/);
    expect(a.message).toContain(a.location!);
  });

  it('names the backward of the operation whose gradient is not finite, and where it was created', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    let error: unknown;
    try {
      detectAnomaly(() => {
        const y = x.sqrt(); // fine forward; d/dx √x = ∞ at 0
        y.sum().backward();
      });
    } catch (e) {
      error = e;
    }
    const a = error as AnomalyError;
    expect(a).toBeInstanceOf(AnomalyError);
    expect(a.phase).toBe('backward');
    expect(a.op).toBe('sqrt');
    expect(a.message).toMatch(
      /the backward of sqrt produced Infinity in the gradient for its input 0/,
    );
    expect(a.location).toMatch(/anomaly\.test\.ts:\d+:\d+$/);
  });

  it('is off outside the block and costs nothing there', () => {
    const x = tensor([-1]);
    expect(Number.isNaN(x.log().item())).toBe(true);
    expect(() => detectAnomaly(() => x.log())).toThrow(AnomalyError);
    expect(Number.isNaN(x.log().item())).toBe(true);
  });
});
