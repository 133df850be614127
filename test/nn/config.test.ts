import { describe, expect, it } from 'vitest';
import * as nn from '../../src/nn/index.js';
import {
  ACTIVATION_TABLE,
  ACTIVATIONS,
  activation,
  configFields,
  Dropout,
  Flatten,
  GELU,
  Generator,
  init,
  LeakyReLU,
  Linear,
  LogSoftmax,
  Module,
  moduleFromConfig,
  registerModuleClass,
  registerModuleType,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Step,
  Tanh,
  type ModuleConfig,
  type Tensor,
} from '../../src/index.js';

const roundTrip = (m: Module): Module => moduleFromConfig(JSON.parse(JSON.stringify(m.toConfig())));

describe('toConfig and fromConfig', () => {
  const examples: Module[] = [
    new Linear(3, 2),
    new Linear(3, 2, { bias: false, init: { uniform: 0.1 }, dtype: 'float64' }),
    new Linear(4, 1, { init: { normal: 0.5 } }),
    new Linear(4, 1, { init: 'xavierNormal' }),
    new Dropout(0.3),
    new Flatten(0, 2),
    new ReLU(),
    new Tanh(),
    new Sigmoid(),
    new Step(),
    new LeakyReLU(0.2),
    new GELU('tanh'),
    new Softmax(0),
    new LogSoftmax(1),
    new Sequential(new Linear(2, 2), new Sequential(new Tanh(), new Dropout(0.1))),
  ];

  it.each(examples.map((m) => [m.toString(), m] as const))(
    '%s comes back as itself',
    (_, module) => {
      const copy = roundTrip(module);
      expect(copy.constructor).toBe(module.constructor);
      expect(copy.toConfig()).toEqual(module.toConfig());
      expect(copy.parameters().map((p) => [p.dtype, p.shape])).toEqual(
        module.parameters().map((p) => [p.dtype, p.shape]),
      );
    },
  );

  it('every module class the library exports with a toConfig is rebuilt by moduleFromConfig', () => {
    const classes = Object.values(nn).filter(
      (v): v is new () => Module =>
        typeof v === 'function' && v.prototype instanceof Module && v !== Sequential,
    );
    // The classes that need arguments get small ones; the others take none.
    const needs: Record<string, () => Module> = {
      Linear: () => new Linear(1, 1),
      Conv1d: () => new nn.Conv1d(2, 4, 3),
      Conv2d: () => new nn.Conv2d(2, 4, 3),
      ConvTranspose2d: () => new nn.ConvTranspose2d(2, 4, 3),
      MaxPool2d: () => new nn.MaxPool2d(2),
      AvgPool2d: () => new nn.AvgPool2d(2),
      AdaptiveAvgPool2d: () => new nn.AdaptiveAvgPool2d(1),
      BatchNorm1d: () => new nn.BatchNorm1d(3),
      BatchNorm2d: () => new nn.BatchNorm2d(3),
      LayerNorm: () => new nn.LayerNorm(3),
      GroupNorm: () => new nn.GroupNorm(2, 4),
      Upsample: () => new nn.Upsample({ scaleFactor: 2 }),
      MultiheadAttention: () => new nn.MultiheadAttention(4, 2),
    };
    const saved = classes.map((C) => needs[C.name]?.() ?? new C());
    expect(saved.length).toBeGreaterThan(21);
    for (const module of saved) {
      let config: ModuleConfig;
      try {
        config = module.toConfig();
      } catch {
        continue; // losses: not layers of a saved model
      }
      expect(Object.hasOwn(module.constructor, 'fromConfig'), config.type).toBe(true);
      expect(roundTrip(module).toConfig()).toEqual(config);
    }
  });

  it('the same seed gives the same weights through a configuration', () => {
    const net = nn.mlp([3, 5, 2], { init: 'kaimingNormal', generator: new Generator(7) });
    const a = moduleFromConfig(net.toConfig()) as Sequential;
    const b = moduleFromConfig(net.toConfig()) as Sequential;
    const g1 = new Generator(1);
    const g2 = new Generator(1);
    for (const [x, y] of [
      [a.at(0), b.at(0)],
      [a.at(2), b.at(2)],
    ] as const) {
      (x as Linear).resetParameters(g1);
      (y as Linear).resetParameters(g2);
    }
    expect(a.parameters().map((p) => Array.from(p.data))).toEqual(
      b.parameters().map((p) => Array.from(p.data)),
    );
  });
});

describe('model config errors name the field', () => {
  it.each<[ModuleConfig, string]>([
    [
      { type: 'Linear', inFeatures: 0, outFeatures: 2 },
      'model config: Linear.inFeatures must be a positive integer, got 0',
    ],
    [
      { type: 'Linear', inFeatures: 2 },
      'model config: Linear.outFeatures must be a positive integer, got undefined',
    ],
    [
      { type: 'Linear', inFeatures: 2, outFeatures: 2, bias: 'yes' },
      'model config: Linear.bias must be true or false, got "yes"',
    ],
    [
      { type: 'Linear', inFeatures: 2, outFeatures: 2, dtype: 'int32' },
      'model config: Linear.dtype must be one of "float32", "float64", got "int32"',
    ],
    [
      { type: 'Linear', inFeatures: 2, outFeatures: 2, init: 'he' },
      'model config: Linear.init must be one of "default", "xavierUniform", "xavierNormal", "kaimingUniform", "kaimingNormal", "zeros", { uniform: a } or { normal: σ }, got "he"',
    ],
    [
      { type: 'Linear', inFeatures: 2, outFeatures: 2, init: { uniform: -1 } },
      'model config: Linear.init.uniform must be a number >= 0, got -1',
    ],
    [{ type: 'Dropout', p: 2 }, 'model config: Dropout.p must be a probability in [0, 1], got 2'],
    [{ type: 'Softmax', dim: 0.5 }, 'model config: Softmax.dim must be an integer, got 0.5'],
    [
      { type: 'LeakyReLU', negativeSlope: 'x' },
      'model config: LeakyReLU.negativeSlope must be a finite number, got "x"',
    ],
    [
      { type: 'GELU', approximate: 'fast' },
      'model config: GELU.approximate must be one of "none", "tanh", got "fast"',
    ],
    [
      { type: 'Sequential', layers: null },
      'model config: Sequential.layers must be a list of module configurations, got null',
    ],
    [
      { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 2, outFeatures: -1 }] },
      'model config: Linear.outFeatures must be a positive integer, got -1',
    ],
  ])('%j', (config, message) => {
    expect(() => moduleFromConfig(config)).toThrow(message);
  });

  it('a missing option takes its default, as toConfig of old files left it out', () => {
    const layer = moduleFromConfig({ type: 'Linear', inFeatures: 2, outFeatures: 3 }) as Linear;
    expect(layer.toConfig()).toEqual({
      type: 'Linear',
      inFeatures: 2,
      outFeatures: 3,
      bias: true,
      init: 'default',
    });
    expect((moduleFromConfig({ type: 'Dropout' }) as Dropout).p).toBe(0.5);
  });

  it('tuples take one integer for all or a list of them', () => {
    const f = configFields({ type: 'Conv2d', kernelSize: 3, stride: [1, 2], padding: [1] });
    expect(f.integers('kernelSize', 2, 1)).toEqual([3, 3]);
    expect(f.integers('stride', 2, 1)).toEqual([1, 2]);
    expect(f.integers('dilation', 2, 1, 1)).toEqual([1, 1]);
    expect(() => f.integers('padding', 2, 0)).toThrow(
      'model config: Conv2d.padding must be an integer >= 0 or a list of 2 of them, got [1]',
    );
  });
});

describe('registering module types', () => {
  class Scale extends Module {
    constructor(readonly factor: number) {
      super();
    }
    forward(x: Tensor): Tensor {
      return x.mul(this.factor);
    }
    override toConfig(): ModuleConfig {
      return { type: 'Scale', factor: this.factor };
    }
    static fromConfig(config: ModuleConfig): Scale {
      return new Scale(configFields(config).number('factor'));
    }
  }

  it('a class with a static fromConfig, nested in a Sequential', () => {
    registerModuleClass(Scale);
    const net = new Sequential(new Linear(2, 2), new Scale(3));
    const copy = roundTrip(net) as Sequential;
    expect(copy.at(1)).toBeInstanceOf(Scale);
    expect((copy.at(1) as Scale).factor).toBe(3);
    expect(() => moduleFromConfig({ type: 'Scale', factor: null })).toThrow(
      'model config: Scale.factor must be a finite number, got null',
    );
  });

  it('a factory under a type name', () => {
    registerModuleType('Twice', () => new Scale(2));
    expect((moduleFromConfig({ type: 'Twice' }) as Scale).factor).toBe(2);
  });

  it('refuses a factory that returns something other than a module', () => {
    registerModuleType('Broken', () => ({}) as Module);
    expect(() => moduleFromConfig({ type: 'Broken' })).toThrow(
      'model config: the factory registered for "Broken" returned Object, not a Module',
    );
  });

  it('refuses a class whose fromConfig is only inherited (it would build the parent)', () => {
    class Wide extends Linear {}
    expect(() => registerModuleClass(Wide)).toThrow(
      'registerModuleClass: Wide has no static fromConfig(config, build) of its own',
    );
  });
});

describe('the activation table', () => {
  it('lists every named activation once, in order, with a description and a module', () => {
    expect(ACTIVATIONS).toEqual([
      'relu',
      'tanh',
      'sigmoid',
      'step',
      'leakyRelu',
      'gelu',
      'softmax',
      'logSoftmax',
    ]);
    for (const name of ACTIVATIONS) {
      const entry = ACTIVATION_TABLE[name];
      expect(entry.description.length, name).toBeGreaterThan(3);
      expect(entry.description, name).not.toContain('\n');
      const module = activation(name);
      expect(module).toBeInstanceOf(entry.module);
      expect(moduleFromConfig(module.toConfig())).toBeInstanceOf(entry.module);
    }
    expect(() => activation('swish' as never)).toThrow(
      'unknown activation "swish"; expected one of relu, tanh, sigmoid, step, leakyRelu, gelu, softmax, logSoftmax',
    );
    expect(() => activation('toString' as never)).toThrow(/unknown activation "toString"/);
  });
});

describe('init.initLayer', () => {
  it('draws the weight, then the bias, as Linear does', () => {
    const layer = new Linear(5, 3, { generator: new Generator(11) });
    const w = layer.weight.detach().clone();
    const b = layer.bias!.detach().clone();
    init.initLayer('default', w, b, new Generator(11));
    expect(Array.from(w.data)).toEqual(Array.from(layer.weight.data));
    expect(Array.from(b.data)).toEqual(Array.from(layer.bias!.data));
  });

  it('Linear refuses an unknown scheme or dtype, naming the option', () => {
    expect(() => new Linear(2, 2, { init: 'glorot' as never })).toThrow(
      /^Linear: init must be one of "default", .*, got "glorot"$/,
    );
    expect(() => new Linear(2, 2, { dtype: 'int32' as never })).toThrow(
      'Linear: dtype must be one of "float32", "float64", got "int32"',
    );
  });
});

describe('the config registry refuses arguments of the wrong sort by name', () => {
  it('moduleFromConfig, registerModuleClass and registerModuleType', () => {
    expect(() => moduleFromConfig(42 as never)).toThrow(
      'moduleFromConfig: expected a model config (an object with a "type"), got 42',
    );
    expect(() => moduleFromConfig({ kind: 'Linear' } as never)).toThrow(
      'moduleFromConfig: expected a model config (an object with a "type"), got {"kind":"Linear"}',
    );
    expect(() => registerModuleClass(null as never)).toThrow(
      'registerModuleClass: Class must be a Module class, got null',
    );
    expect(() => registerModuleType(42 as never, () => new ReLU())).toThrow(
      'registerModuleType: type must be a non-empty string, got 42',
    );
  });
});
