import { join } from 'node:path';
import { exportOnnx } from '../io/onnx-export.js';
import { exportPytorchCommand } from './export-pytorch.js';
import { writeFileAtomicSync } from '../node/files.js';
import { load } from '../node/model-files.js';
import type { Module } from '../nn/module.js';
import { zeros } from '../tensor/creation.js';
import { UsageError } from './errors.js';
import { savedMetadata } from './saved.js';

export interface ExportFlags {
  onnx?: string;
  pytorch?: string;
  opset: string;
}

/** The input features of a model whose first layer is a Linear (an MLP), from its configuration. */
function firstLinearFeatures(model: Module): number | undefined {
  for (const [, m] of model.namedModules()) {
    const config = (() => {
      try {
        return m.toConfig() as unknown as Record<string, unknown>;
      } catch {
        return undefined;
      }
    })();
    if (config?.type === 'Linear') return config.inFeatures as number;
    if (config !== undefined && config.type !== 'Sequential') return undefined;
  }
  return undefined;
}

/** `nabla export DIR --onnx FILE --pytorch OUT`: the saved model as an ONNX file, the run as a PyTorch project. */
export function exportCommand(
  dir: string,
  flags: ExportFlags,
  log: (line: string) => void = console.log,
): void {
  if (flags.onnx === undefined && flags.pytorch === undefined)
    throw new UsageError('export: say what to write: --onnx FILE, --pytorch DIR or both');
  if (flags.pytorch !== undefined) exportPytorchCommand(dir, flags.pytorch, log);
  if (flags.onnx !== undefined) exportOnnxFile(dir, flags.onnx, flags.opset, log);
}

/** `--onnx FILE`: the saved model (model.json, model.safetensors) as an ONNX model. */
function exportOnnxFile(
  dir: string,
  file: string,
  opsetFlag: string,
  log: (line: string) => void,
): void {
  const opset = Number(opsetFlag);
  if (!Number.isInteger(opset) || opset < 17)
    throw new UsageError(`--opset must be an integer of at least 17, got ${opsetFlag}`);
  const { model, description } = load(dir);
  const meta = savedMetadata(description.metadata, join(dir, 'model.json'));
  const features = firstLinearFeatures(model);
  const shape = meta.inputShape ?? (features === undefined ? undefined : [features]);
  if (shape === undefined)
    throw new UsageError(
      `${dir}/model.json does not record the model's input shape, and its first layer is not a Linear`,
    );
  const dtype = model.parameters()[0]?.dtype ?? 'float32';
  const bytes = exportOnnx(model, zeros([1, ...shape], { dtype }), { opset });
  writeFileAtomicSync(file, bytes);
  log(
    `wrote ${file} (${bytes.length} bytes, ONNX opset ${opset}): input "input" [batch, ${shape.join(', ')}], output "output"`,
  );
}
