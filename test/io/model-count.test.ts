import { describe, expect, it } from 'vitest';
import { deserializeModel, serializeModel } from '../../src/io/model.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import {
  configFields,
  Linear,
  Module,
  Parameter,
  registerModuleClass,
  zeros,
  type ModuleConfig,
  type Tensor,
} from '../../src/index.js';
import { declaredParameters, nestedConfigs } from '../../src/nn/config.js';

// model.json is checked against the weights file before any layer is built: each layer's class
// says, in its own file, how many parameters a config declares and which configs nest in it.

/** A user's layer: one learned offset of `size` numbers. */
class Offset extends Module {
  readonly offset: Parameter;
  constructor(readonly size: number) {
    super();
    this.offset = new Parameter(zeros([size]));
  }
  forward(x: Tensor): Tensor {
    return x.add(this.offset);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Offset', size: this.size };
  }
  static fromConfig(config: ModuleConfig): Offset {
    return new Offset(configFields(config).integer('size', 1));
  }
  static parameterCount(config: ModuleConfig): number {
    return configFields(config).integer('size', 1);
  }
}

/** A user's container: its modules under `parts`. */
class Pair extends Module {
  constructor(
    readonly first: Module,
    readonly second: Module,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.second.call(this.first.call(x));
  }
  override toConfig(): ModuleConfig {
    return { type: 'Pair', parts: [this.first.toConfig(), this.second.toConfig()] };
  }
  static fromConfig(config: ModuleConfig, build: (c: ModuleConfig) => Module): Pair {
    const [first, second] = configFields(config).modules('parts', build);
    return new Pair(first, second);
  }
  static nestedConfigs(config: ModuleConfig): readonly unknown[] {
    return configFields(config).configs('parts');
  }
}

/** Offset's count inherited: not asked, since it may not fit the child. */
class Wider extends Offset {
  static override fromConfig(config: ModuleConfig): Wider {
    return new Wider(configFields(config).integer('size', 1));
  }
  override toConfig(): ModuleConfig {
    return { type: 'Wider', size: this.size };
  }
}

registerModuleClass(Offset);
registerModuleClass(Pair);
registerModuleClass(Wider);

/** model.json for `architecture` with `weights` (the parameters listed as they would be). */
const load = (architecture: ModuleConfig, weights: Uint8Array) =>
  deserializeModel(
    JSON.stringify({ format: 'nabla-model', version: 1, architecture, parameters: {} }),
    weights,
  );

describe('counting the parameters a model.json declares', () => {
  it('asks each registered class, built-in or a user’s', () => {
    expect(declaredParameters({ type: 'Linear', inFeatures: 3, outFeatures: 2 })).toBe(8);
    expect(declaredParameters({ type: 'Linear', inFeatures: 3, outFeatures: 2, bias: false })).toBe(
      6,
    );
    expect(declaredParameters({ type: 'Offset', size: 5 })).toBe(5);
    expect(declaredParameters({ type: 'Wider', size: 5 })).toBe(0);
    expect(declaredParameters({ type: 'ReLU' })).toBe(0);
    expect(nestedConfigs({ type: 'Pair', parts: [1, 2] })).toEqual([1, 2]);
    expect(nestedConfigs({ type: 'Sequential', layers: [{ type: 'ReLU' }] })).toEqual([
      { type: 'ReLU' },
    ]);
  });

  it('counts nothing, and never throws, for malformed or hostile configs', () => {
    for (const config of [
      null,
      3,
      'Linear',
      [],
      { type: 'Linear' },
      { type: 'Linear', inFeatures: '3', outFeatures: 2 },
      { type: 'Offset', size: -1 },
      { type: 'Pair', parts: 'x' },
      { type: '__proto__' },
      { type: 'toString' },
    ]) {
      expect(declaredParameters(config), JSON.stringify(config)).toBe(0);
      expect(nestedConfigs(config), JSON.stringify(config)).toEqual([]);
    }
  });

  it('a user-registered class with parameterCount is counted, nested in a user container', () => {
    const model = new Pair(new Linear(2, 3), new Offset(3));
    const { json, weights } = serializeModel(model);
    expect(deserializeModel(json, weights).model).toBeInstanceOf(Pair);

    const tiny = encodeSafetensors(new Map([['x', zeros([1])]]));
    const huge = { type: 'Pair', parts: [{ type: 'ReLU' }, { type: 'Offset', size: 1e9 }] };
    expect(() => load(huge, tiny)).toThrow(
      /^model\.json: the architecture declares 1000000000 parameters, but model\.safetensors holds only \d+ bytes$/,
    );
  });

  it('a container whose nested configs never end is bounded by the module count', () => {
    class Loop extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
      static fromConfig(): Loop {
        return new Loop();
      }
      static nestedConfigs(config: ModuleConfig): readonly unknown[] {
        return [config, config];
      }
    }
    registerModuleClass(Loop);
    expect(() => load({ type: 'Loop' }, encodeSafetensors(new Map()))).toThrow(
      /^model\.json: the architecture describes more than the 10000 modules/,
    );
  });
});
