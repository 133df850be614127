/**
 * The errors of ONNX export and import, in a file of their own: the public declarations of
 * `nabla/onnx` then reach neither the ONNX schema's types nor protobufjs's.
 *
 * @module
 */

/** An export error naming the layer and what ONNX export supports instead. */
export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
}

/** An import error naming the node and what importOnnx supports. */
export class OnnxImportError extends Error {
  override name = 'OnnxImportError';
}
