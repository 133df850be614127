import type { Tensor } from '../tensor/tensor.js';
import { configFields, type BuildModule } from './config-fields.js';
import { fusedLayer } from './fuse.js';
import { Module, type ModuleConfig } from './module.js';

/**
 * Layers applied one after the other; they are named `0`, `1`, … (so parameters are `0.weight`,
 * `2.bias`, …), as in PyTorch.
 *
 * @example
 * const net = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2));
 * net.call(randn([8, 2])).shape; // => [8, 2]
 */
export class Sequential extends Module {
  private readonly _layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) throw new TypeError(`Sequential: layer ${i} is not a Module`);
      this.registerModule(String(i), layer);
    });
    this._layers = layers;
  }

  /** The container from its `toConfig()`, each layer built by `build` (`moduleFromConfig`). */
  static fromConfig(config: ModuleConfig, build: BuildModule): Sequential {
    return new Sequential(...configFields(config).modules('layers', build));
  }

  /** The configurations of the layers `config` describes, without building them. */
  static nestedConfigs(config: ModuleConfig): readonly unknown[] {
    return configFields(config).configs('layers');
  }

  /** The layers, in order. */
  get layers(): readonly Module[] {
    return this._layers;
  }

  /** The number of layers. */
  get length(): number {
    return this._layers.length;
  }

  /** Layer `i` (negative counts from the end). */
  at(i: number): Module {
    const layer = this._layers.at(i);
    if (layer === undefined)
      throw new RangeError(`Sequential: no layer ${i} among ${this._layers.length}`);
    return layer;
  }

  /**
   * The layers in turn. A `Linear` followed by `ReLU`, `Tanh` or `Sigmoid` runs as one fused
   * primitive (`linearActivation`: the same values and gradients, one array and one node fewer)
   * unless either has forward hooks or anomaly detection is on.
   */
  forward(x: Tensor): Tensor {
    const layers = this._layers;
    let y = x;
    for (let i = 0; i < layers.length; i++) {
      const fused = i + 1 < layers.length ? fusedLayer(layers[i], layers[i + 1], y) : undefined;
      if (fused === undefined) {
        y = layers[i].call(y);
      } else {
        y = fused;
        i++; // the activation ran in the fused primitive
      }
    }
    return y;
  }

  override toConfig(): ModuleConfig {
    return { type: 'Sequential', layers: this._layers.map((l) => l.toConfig()) };
  }

  override toString(): string {
    return `Sequential(${this._layers.length} layers)`;
  }
}
