import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deserializeModel, serializeModel } from '../../src/io/model.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
} from '../../src/io/safetensors.js';
import { mlp } from '../../src/nn/mlp.js';
import { load, save } from '../../src/node/model-files.js';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-integrity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const headerEnd = (bytes: Uint8Array): number =>
  8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);

/** Where a tensor's bytes start in the file. */
function tensorStart(bytes: Uint8Array, name: string): number {
  const end = headerEnd(bytes);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, end))) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  return end + header[name].data_offsets[0];
}

/** A file with the given header JSON (padded) and data section. */
function rawFile(header: string, data: Uint8Array): Uint8Array {
  const padded = header.padEnd(Math.ceil(header.length / 8) * 8, ' ');
  const h = new TextEncoder().encode(padded);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('checksums of the tensors in safetensors files', () => {
  it('a flipped weight byte is reported with the file and the tensor', () => {
    const model = mlp([3, 4, 2]);
    const dir = join(root, 'flip');
    save(model, dir);
    const path = join(dir, 'model.safetensors');
    const bytes = new Uint8Array(readFileSync(path));
    bytes[tensorStart(bytes, '2.weight') + 5] ^= 0x10;
    writeFileSync(path, bytes);
    expect(() => load(dir)).toThrow(
      `${path}: tensor "2.weight" does not match its checksum: the file is damaged`,
    );
  });

  it('every byte of every tensor is covered', () => {
    const bytes = encodeSafetensors({
      a: tensor([1, 2, 3]),
      b: tensor([4.5], { dtype: 'float64' }),
      c: tensor([7, 8], { dtype: 'int32' }),
    });
    for (let i = headerEnd(bytes); i < bytes.length; i++) {
      const copy = bytes.slice();
      copy[i] ^= 1;
      expect(() => decodeSafetensors(copy, 'f.safetensors')).toThrow(
        /^f\.safetensors: tensor "[abc]" does not match its checksum: the file is damaged$/,
      );
    }
  });

  it('the checksums stay out of the metadata read back, and the key is reserved', () => {
    const bytes = encodeSafetensors({ w: tensor([1]) }, { format: 'pt' });
    expect(new TextDecoder().decode(bytes.subarray(8, headerEnd(bytes)))).toContain(
      '"nabla.crc32":"{\\"w\\":\\"',
    );
    expect(decodeSafetensors(bytes).metadata).toEqual({ format: 'pt' });
    expect(() => encodeSafetensors({ w: tensor([1]) }, { 'nabla.crc32': '{}' })).toThrow(
      /"nabla.crc32" is reserved/,
    );
  });

  it('a file from another tool, without checksums, still loads', () => {
    const model = mlp([3, 4, 2]);
    const { json } = serializeModel(model);
    const weights = encodeSafetensors(model.stateDict(), { format: 'pt' }, { checksums: false });
    expect(new TextDecoder().decode(weights)).not.toContain('nabla.crc32');
    const { model: back } = deserializeModel(json, weights);
    expect(Array.from(back.parameters()[0].data)).toEqual(Array.from(model.parameters()[0].data));
  });

  it('a damaged or edited checksum entry is a clean error', () => {
    const data = new Uint8Array(new Float32Array([1, 2]).buffer);
    const entry = '"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}';
    const withSums = (sums: string): Uint8Array =>
      rawFile(`{"__metadata__":{"nabla.crc32":${JSON.stringify(sums)}},${entry}}`, data);
    const fails = (sums: string, message: RegExp): void => {
      expect(() => decodeSafetensors(withSums(sums), 'f')).toThrow(SafetensorsError);
      expect(() => decodeSafetensors(withSums(sums), 'f')).toThrow(message);
    };
    const good = encodeSafetensors({ w: new Tensor(new Float32Array([1, 2]), [2]) });
    const goodSum = /"w\\":\\"([0-9a-f]{8})/.exec(new TextDecoder().decode(good))![1];
    expect(
      decodeSafetensors(withSums(`{"w":"${goodSum}"}`))
        .tensors.get('w')
        ?.toArray(),
    ).toEqual([1, 2]);
    fails('{"w":', /^f: the checksums in "__metadata__" "nabla.crc32" are not valid JSON/);
    fails('[1]', /must be a JSON object, got a list/);
    fails('{}', /^f: tensor "w" has no checksum in "nabla.crc32"/);
    fails('{"w":12}', /give tensor "w" the number 12, not 8 hex digits/);
    fails(`{"w":"${goodSum}","v":"00000000"}`, /name a tensor "v" that the file does not hold/);
    fails('{"w":"00000000"}', /^f: tensor "w" does not match its checksum: the file is damaged$/);
  });
});

describe('weights that are not finite', () => {
  it('are refused when loading, naming the tensor, and load with allowNonFinite', () => {
    const model = mlp([2, 3, 2]);
    model.namedParameters()[3][1].data[1] = -Infinity;
    const dir = join(root, 'nan');
    save(model, dir);
    expect(() => load(dir)).toThrow(
      `${join(dir, 'model.safetensors')}: tensor "2.bias" holds -Infinity (element 1 of 2)`,
    );
    const { model: back } = load(dir, { allowNonFinite: true });
    expect(back.namedParameters()[3][1].data[1]).toBe(-Infinity);
  });

  it('NaN is named too; integer tensors are not checked', () => {
    const model = mlp([2, 2]);
    model.parameters()[0].data[3] = NaN;
    const { json, weights } = serializeModel(model);
    expect(() => deserializeModel(json, weights, { weights: 'w.safetensors' })).toThrow(
      /^w\.safetensors: tensor "0\.weight" holds NaN \(element 3 of 4\).*allowNonFinite: true/,
    );
  });
});

describe('model.json checked against the model', () => {
  const model = mlp([2, 5, 3]);
  const good = {
    features: 2,
    classes: 3,
    classNames: ['a', 'b', 'c'],
    standardization: { mean: [0.5, -1], std: [2, 0.25] },
  };
  const loadWith = (metadata: Record<string, unknown>) => {
    const { json, weights } = serializeModel(model, metadata);
    return () => deserializeModel(json, weights, { json: 'm/model.json' });
  };

  it('consistent metadata loads, and so does metadata that records none of it', () => {
    expect(loadWith(good)().description.metadata).toEqual(good);
    expect(() => loadWith({ data: 'spiral', note: 'x' })()).not.toThrow();
    expect(() => loadWith({ classes: ['x', 'y', 'z'] })()).not.toThrow();
  });

  it('a standard deviation of 0 (or negative, or not finite) is refused', () => {
    const std0 = loadWith({ ...good, standardization: { mean: [0, 0], std: [0, 0] } });
    expect(std0).toThrow(
      'm/model.json: "metadata.standardization.std[0]" is 0; expected a finite number > 0 (inputs are divided by it)',
    );
    expect(loadWith({ ...good, standardization: { mean: [0, 0], std: [1, -2] } })).toThrow(
      /std\[1\]" is -2/,
    );
    const { json, weights } = serializeModel(model, good);
    const huge = json.replace('0.25', '1e999');
    expect(() => deserializeModel(huge, weights)).toThrow(/std\[1\]" is Infinity/);
  });

  it('standardization of the wrong length or kind is refused', () => {
    expect(loadWith({ ...good, standardization: { mean: [0], std: [1] } })).toThrow(
      /"metadata.standardization" has 1 means and stds, but the model takes 2 features/,
    );
    expect(loadWith({ ...good, standardization: [1, 2] })).toThrow(
      /"metadata.standardization" is \[1, 2\]; expected an object with "mean" and "std"/,
    );
    expect(loadWith({ ...good, standardization: { mean: [0, 'x'], std: [1, 1] } })).toThrow(
      /"metadata.standardization.mean\[1\]" is "x"; expected a finite number/,
    );
  });

  it('classes that do not match the outputs are refused', () => {
    expect(loadWith({ ...good, classes: 2 })).toThrow(
      'm/model.json: "metadata.classes" says 2 classes, but the model has 3 outputs',
    );
    expect(loadWith({ classes: 1.5 })).toThrow(
      'm/model.json: "metadata.classes" is 1.5; expected an integer >= 1 or a list of at least one entry, each a string',
    );
    expect(loadWith({ ...good, classNames: ['a', 'b'] })).toThrow(
      /"metadata.classNames" names 2 classes, but the model has 3 outputs/,
    );
    expect(loadWith({ classNames: 'abc' })).toThrow(
      /"metadata.classNames" is "abc"; expected null or a list, each a string/,
    );
  });

  it('features that do not match the inputs are refused', () => {
    expect(loadWith({ ...good, features: 4 })).toThrow(
      'm/model.json: "metadata.features" is 4, but the model takes 2 input features',
    );
  });

  it('layers that keep the shape are looked through; an output softmax is one', () => {
    const soft = mlp([4, 6, 3], { dropout: 0.5, outputActivation: 'softmax' });
    const { json, weights } = serializeModel(soft, { classes: 3, features: 4 });
    expect(() => deserializeModel(json, weights)).not.toThrow();
    const wrong = serializeModel(soft, { classes: 6 });
    expect(() => deserializeModel(wrong.json, wrong.weights)).toThrow(/has 3 outputs/);
  });
});
