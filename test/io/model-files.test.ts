import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, load, mlp, randn, save, Sequential } from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('save and load', () => {
  it('round-trips architecture and weights, with metadata', () => {
    const model = mlp([4, 8, 3], { activation: 'tanh', dropout: 0.1, outputActivation: 'softmax' });
    const dir = join(root, 'a');
    save(model, dir, { data: 'spiral', classes: 3 });
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'model.safetensors']);
    const { model: again, description } = load(dir);
    expect(again).toBeInstanceOf(Sequential);
    expect(description.metadata).toEqual({ data: 'spiral', classes: 3 });
    expect(description.parameters).toEqual({
      '0.weight': [8, 4],
      '0.bias': [8],
      '3.weight': [3, 8],
      '3.bias': [3],
    });
    model.eval();
    again.eval();
    const x = randn([5, 4]);
    expect(Array.from(again.call(x).data)).toEqual(Array.from(model.call(x).data));
  });

  it('a float64 model loads as float64, with the same weights', () => {
    const model = mlp([2, 3, 1], { dtype: 'float64' });
    const dir = join(root, 'f64');
    save(model, dir);
    const { model: again } = load(dir);
    expect(again.parameters().map((p) => p.dtype)).toEqual(new Array(4).fill('float64'));
    expect(again.parameters().map((p) => Array.from(p.data))).toEqual(
      model.parameters().map((p) => Array.from(p.data)),
    );
  });

  it('writes standard safetensors: 8-byte little-endian header length, JSON header, raw data', () => {
    const model = mlp([2, 3]);
    const dir = join(root, 'b');
    save(model, dir);
    const bytes = new Uint8Array(readFileSync(join(dir, 'model.safetensors')));
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header['0.weight']).toEqual({
      dtype: 'F32',
      shape: [3, 2],
      data_offsets: expect.any(Array),
    });
    const { tensors } = decodeSafetensors(bytes);
    expect(Array.from(tensors.get('0.weight')!.data)).toEqual(
      Array.from(model.parameters()[0].data),
    );
  });

  it('names the file and the problem for a missing, truncated, corrupt or mismatched model', () => {
    expect(() => load(join(root, 'nope'))).toThrow(/no model directory at .*nope/);
    const dir = join(root, 'c');
    save(mlp([2, 3]), dir);
    const weights = readFileSync(join(dir, 'model.safetensors'));
    writeFileSync(join(dir, 'model.safetensors'), weights.subarray(0, weights.length - 5));
    expect(() => load(dir)).toThrow(/model\.safetensors/);
    writeFileSync(join(dir, 'model.safetensors'), weights);
    writeFileSync(join(dir, 'model.json'), '{ not json');
    expect(() => load(dir)).toThrow(/model\.json: not valid JSON/);
    save(mlp([2, 4]), join(root, 'd'));
    writeFileSync(join(dir, 'model.json'), readFileSync(join(root, 'd', 'model.json')));
    expect(() => load(dir)).toThrow(
      /model\.safetensors does not match .*model\.json: 0\.weight has shape \[3,2\] in the state but \[4,2\] in the model/,
    );
    rmSync(join(dir, 'model.safetensors'));
    expect(() => load(dir)).toThrow(/model\.safetensors not found/);
  });
});
