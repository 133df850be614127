/**
 * Runs an exported ONNX model in ONNX Runtime (onnxruntime-web's WebAssembly build, in Node; a
 * dev dependency) and compares its output with nabla's.
 */
import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import { noGrad } from '../../src/autograd/mode.js';
import { evalMode, type Module } from '../../src/nn/module.js';
import type { Tensor } from '../../src/tensor/tensor.js';

ort.env.wasm.numThreads = 1;

/** ONNX Runtime's output for `input` (float32 or float64, by the input's dtype). */
export async function runOrt(
  bytes: Uint8Array,
  input: Tensor,
  inputName = 'input',
): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds = {
    [inputName]: new ort.Tensor(input.dtype, input.data as Float32Array, [...input.shape]),
  };
  const out = await session.run(feeds);
  await session.release();
  return out[session.outputNames[0]];
}

/** Expects ONNX Runtime's output to equal nabla's model output for `input` within `tol`. */
export async function expectSameOutput(
  model: Module,
  bytes: Uint8Array,
  input: Tensor,
  tol = 1e-5,
): Promise<void> {
  const want = evalMode(model, () => noGrad(() => model.call(input)));
  const got = await runOrt(bytes, input);
  expect(got.dims).toEqual(want.shape);
  const a = got.data as Float32Array;
  const b = want.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}
