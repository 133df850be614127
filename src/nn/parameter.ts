import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that is a learnable weight of a module: a leaf that requires a gradient. Modules find
 * their parameters by looking for instances of this class among their fields.
 *
 * @example
 * const w = new Parameter(randn([3, 2]));
 * w.requiresGrad; // => true
 */
export class Parameter extends Tensor {
  /** Wraps `data` (shared, not copied) as a parameter; `requiresGrad` defaults to true. */
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new TypeError('Parameter: expected a Tensor');
    super(data.data, data.shape, { requiresGrad, name: data.name });
  }
}
