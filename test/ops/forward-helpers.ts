/**
 * Shared by the forward-value tests of the element-wise ops (forward-arithmetic,
 * forward-functions, forward-compare): exact checks with a dtype and tensor constructors by dtype.
 */
import { tensor, type Tensor } from '../../src/index.js';
import { expectExact, type Nested } from '../helpers.js';

/** Checks dtype, shape and exact values. */
export const expectTyped = (t: Tensor, dtype: string, expected: Nested): void =>
  expectExact(t, expected, dtype);

export const int = (v: Nested): Tensor => tensor(v, { dtype: 'int32' });
export const f64 = (v: Nested): Tensor => tensor(v, { dtype: 'float64' });
