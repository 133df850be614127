/**
 * nabla's ONNX entry, `nabla/onnx`: a model built from nabla's layers written as an ONNX graph,
 * for ONNX Runtime (Node, web, Python) and every other runtime that reads ONNX. It is an entry of
 * its own so that the core bundle does not carry the ONNX schema; the Node entry re-exports it.
 *
 * @packageDocumentation
 */
export { exportOnnx, OnnxExportError, type ExportOnnxOptions } from './io/onnx-export.js';
export { importOnnx, OnnxImportError } from './io/onnx-import.js';
