/**
 * A nabla network as PyTorch source: `model.py` of `nabla export --pytorch`, an `nn.Module` whose
 * layers, order and parameter names are nabla's, so that nabla's state dict loads into it.
 *
 * Written from each module's `toConfig()`: every configuration key becomes PyTorch's keyword
 * argument of the same meaning (`kernelSize` → `kernel_size`); how a layer was initialized is
 * left out (the weights come from the exported file).
 *
 * @module
 */
import type { Module } from '../nn/module.js';

/** A module's configuration as `toConfig()` writes it. */
type Config = Readonly<Record<string, unknown>>;

/** The nabla layers with a PyTorch class of the same name and meaning. */
const TORCH_LAYERS: ReadonlySet<string> = new Set([
  'Linear',
  'Conv1d',
  'Conv2d',
  'ConvTranspose2d',
  'MaxPool2d',
  'AvgPool2d',
  'AdaptiveAvgPool2d',
  'BatchNorm1d',
  'BatchNorm2d',
  'LayerNorm',
  'Flatten',
  'Dropout',
  'PReLU',
  'ReLU',
  'Tanh',
  'Sigmoid',
  'LeakyReLU',
  'GELU',
  'Softmax',
  'LogSoftmax',
  'Softmin',
  'ELU',
  'CELU',
  'SELU',
  'SiLU',
  'Mish',
  'Softplus',
  'Softsign',
  'LogSigmoid',
  'Hardtanh',
  'ReLU6',
  'Hardsigmoid',
  'Hardswish',
]);

/** Layers PyTorch lacks, written into model.py as small modules of their own. */
const OWN_LAYERS: Readonly<Record<string, string>> = {
  Step: [
    'class Step(nn.Module):',
    '    """nabla\'s Step activation: 1 where the input is positive, else 0 (no gradient)."""',
    '',
    '    def forward(self, x):',
    '        return (x > 0).to(x.dtype)',
  ].join('\n'),
};

/** Keys of a configuration that are not constructor arguments (train.py sets the dtype of the whole network). */
const NOT_ARGUMENTS = new Set(['type', 'init', 'dtype']);

/** What a layer's configuration says PyTorch could not build. */
function unsupportedArgument(c: Config): string | undefined {
  // torch.nn.LayerNorm has no `bias` argument before PyTorch 2.1.
  if (c.type === 'LayerNorm' && c.bias === false) return 'LayerNorm without a bias';
  return undefined;
}

/** `kernelSize` → `kernel_size`. */
function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A JSON value as a Python literal (lists become tuples: PyTorch's sizes). */
export function pythonLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      return v > 0 ? 'float("inf")' : v < 0 ? '-float("inf")' : 'float("nan")';
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `(${v.map(pythonLiteral).join(', ')}${v.length === 1 ? ',' : ''})`;
  throw new TypeError(`no Python literal for ${typeof v}`);
}

/** The Python expression that builds one layer (not a Sequential). */
function layerExpression(c: Config, path: string): string {
  const type = String(c.type);
  const known = TORCH_LAYERS.has(type) || type in OWN_LAYERS;
  const problem = known ? unsupportedArgument(c) : `the ${type} module`;
  if (problem !== undefined) {
    const supported = [...TORCH_LAYERS, ...Object.keys(OWN_LAYERS), 'Sequential'].join(', ');
    throw new RangeError(
      `exportPytorch: ${problem}${path === '' ? '' : ` (at "${path}")`} has no PyTorch equivalent here; the layers it writes: ${supported}`,
    );
  }
  const args = Object.entries(c)
    .filter(([k, v]) => !NOT_ARGUMENTS.has(k) || (type === 'PReLU' && k === 'init' && v !== null))
    .map(([k, v]) => `${snake(k)}=${pythonLiteral(v)}`);
  return `${type in OWN_LAYERS ? '' : 'nn.'}${type}(${args.join(', ')})`;
}

/** The lines of a layer (a Sequential over several lines), indented by `indent`. */
function layerLines(c: Config, path: string, indent: string): string[] {
  if (c.type !== 'Sequential') return [`${indent}${layerExpression(c, path)},`];
  const layers = c.layers as Config[];
  const inner = layers.flatMap((l, i) => {
    const lines = layerLines(l, path === '' ? String(i) : `${path}.${i}`, `${indent}    `);
    lines[0] += `  # ${path === '' ? '' : `${path}.`}${i}`;
    return lines;
  });
  return [`${indent}nn.Sequential(`, ...inner, `${indent}),`];
}

/** The configuration types used anywhere in the tree. */
function typesIn(c: Config): string[] {
  return c.type === 'Sequential' ? (c.layers as Config[]).flatMap(typesIn) : [String(c.type)];
}

/**
 * `model.py` for `model`: `Net()` builds the same network in PyTorch (uninitialized weights;
 * train.py loads nabla's). A root Sequential becomes `class Net(nn.Sequential)`, so that the
 * names of its parameters (`0.weight`, …) are nabla's.
 *
 * @throws RangeError naming the first module PyTorch has no equivalent of.
 */
export function pytorchModelSource(model: Module, source: string): string {
  const config = model.toConfig() as unknown as Config;
  const own = [...new Set(typesIn(config))].filter((t) => t in OWN_LAYERS);
  const head = [
    `"""The network of ${source}, as nabla built it (written by \`nabla export --pytorch\`).`,
    '',
    "Its layers, their order and their names are nabla's, so nabla's state dict",
    '(weights.safetensors) loads into Net() as it is."""',
    '',
    'from torch import nn',
    '',
    ...own.flatMap((t) => ['', OWN_LAYERS[t], '']),
    '',
  ];
  if (config.type !== 'Sequential') {
    return [...head, 'def Net():', `    return ${layerExpression(config, '')}`, ''].join('\n');
  }
  const body = layerLines(config, '', '        ').slice(1, -1);
  return [
    ...head,
    'class Net(nn.Sequential):',
    '    def __init__(self):',
    '        super().__init__(',
    ...body,
    '        )',
    '',
  ].join('\n');
}
