import { hardsigmoid, hardswish, hardtanh, relu6 } from '../ops/activations.js';
import { checkFiniteNumber } from '../tensor/check.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/**
 * PyTorch's piecewise-linear activation modules, over their functions in `ops/activations.ts`
 * (which state the derivatives at the kinks, PyTorch's), saved under PyTorch's class names.
 */

/**
 * min(max(x, minVal), maxVal) (defaults −1 and 1), as PyTorch's `nn.Hardtanh`.
 *
 * @example
 * new Hardtanh(-2, 2).toString(); // => 'Hardtanh(minVal=-2, maxVal=2)'
 */
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super();
    checkFiniteNumber({ where: 'Hardtanh' }, 'minVal', minVal);
    checkFiniteNumber({ where: 'Hardtanh' }, 'maxVal', maxVal);
  }
  forward(x: Tensor): Tensor {
    return hardtanh(x, this.minVal, this.maxVal);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Hardtanh', minVal: this.minVal, maxVal: this.maxVal };
  }
  static fromConfig(config: ModuleConfig): Hardtanh {
    const f = configFields(config);
    return new Hardtanh(f.number('minVal', -1), f.number('maxVal', 1));
  }
  override toString(): string {
    return `Hardtanh(minVal=${this.minVal}, maxVal=${this.maxVal})`;
  }
}

/** min(max(x, 0), 6), as PyTorch's `nn.ReLU6`. */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return relu6(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'ReLU6' };
  }
  static fromConfig(): ReLU6 {
    return new ReLU6();
  }
}

/** 0 below −3, 1 above 3, x/6 + ½ between, as PyTorch's `nn.Hardsigmoid`. */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor {
    return hardsigmoid(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Hardsigmoid' };
  }
  static fromConfig(): Hardsigmoid {
    return new Hardsigmoid();
  }
}

/** x·hardsigmoid(x), as PyTorch's `nn.Hardswish`. */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor {
    return hardswish(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Hardswish' };
  }
  static fromConfig(): Hardswish {
    return new Hardswish();
  }
}
