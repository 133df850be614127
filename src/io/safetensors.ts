/**
 * Reading and writing the safetensors format (Hugging Face's; read by PyTorch, JAX, NumPy and
 * others), on bytes, so that it runs in browsers as well as Node.js.
 *
 * The layout:
 *
 * ```text
 * 8 bytes    N, the header length: an unsigned 64-bit little-endian integer
 * N bytes    the header: UTF-8 JSON, padded with spaces so that 8 + N is a multiple of 8
 *            { "__metadata__": { "key": "value", … },
 *              "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, … }
 * the rest   the data section: each tensor's elements, row-major, little-endian, at
 *            [begin, end) counted from the start of the data section; the tensors cover it
 *            exactly, with no gaps and no overlaps
 * ```
 *
 * The encoder is in safetensors-encode.ts; the decoder in safetensors-decode.ts, with the checks
 * of each header entry in safetensors-header.ts.
 */
export {
  MAX_HEADER_BYTES,
  SafetensorsError,
  type SafetensorsContents,
} from './safetensors-format.js';
export { encodeSafetensors, type EncodeOptions } from './safetensors-encode.js';
export { decodeSafetensors } from './safetensors-decode.js';
