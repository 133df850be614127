/**
 * An ONNX graph under construction: its nodes, its initializers (the weights, under their
 * state-dict names) and fresh names for intermediate values. The protobuf messages themselves are
 * written by `onnx-proto` (protobufjs with the ONNX schema); this file only collects their fields.
 *
 * @module
 */
import onnxProto from 'onnx-proto';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** The protobuf classes of the ONNX schema (`onnx.ModelProto`, `onnx.NodeProto`, …). */
export const onnx = onnxProto.onnx;

/** ONNX's element type numbers (`TensorProto.DataType`) for the dtypes a model's weights can have. */
export const ONNX_ELEMENT_TYPE: Partial<Record<DType, number>> = { float32: 1, float64: 11 };

/** The value of an ONNX attribute: a number is a float unless `ints`/`int` says otherwise. */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { string: string };

/** The nodes and initializers of a graph being written, with the dtype of its float values. */
export class OnnxGraph {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private count = 0;

  constructor(readonly elemType: number) {}

  /** A name no value of the graph has yet, from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    while (this.used.has(name)) name = `${hint}_${++this.count}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node; returns the name of its (first) output. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue>> = {},
    outputHint = opType.toLowerCase(),
  ): string {
    const output = this.fresh(outputHint);
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_${this.nodes.length}`),
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attributes).map(([name, v]) => attribute(name, v)),
    });
    return output;
  }

  /** Adds a weight under `name` (a state-dict key): its values in the graph's float type. */
  weight(name: string, t: Tensor): string {
    return this.floats(name, t.shape, t.data);
  }

  /** Adds float values of shape `dims` under a fresh name from `hint`. */
  floats(hint: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.fresh(hint);
    const doubles = this.elemType === ONNX_ELEMENT_TYPE.float64;
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: this.elemType,
      rawData: rawBytes(doubles ? Float64Array.from(values) : Float32Array.from(values)),
    });
    return name;
  }

  /** Adds int64 values (shapes, axes) under a fresh name from `hint`. */
  int64s(hint: string, values: readonly number[]): string {
    const name = this.fresh(hint);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: 7, rawData: rawBytes(data) });
    return name;
  }
}

function attribute(name: string, v: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if ('int' in v) return { name, type: AttributeType.INT, i: v.int };
  if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float };
  if ('ints' in v) return { name, type: AttributeType.INTS, ints: [...v.ints] };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: [...v.floats] };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v.string) };
}

/** The little-endian bytes of a typed array (ONNX's `raw_data`). */
function rawBytes(a: Float32Array | Float64Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes.slice();
  // A big-endian host: reverse each element's bytes.
  const out = bytes.slice();
  const w = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < out.length; i += w) out.subarray(i, i + w).reverse();
  return out;
}
