/** Writing IDX bytes, for the IDX reader's tests. */

export type IdxType = 0x08 | 0x09 | 0x0b | 0x0c | 0x0d | 0x0e;

export const SIZES: Record<IdxType, number> = {
  0x08: 1,
  0x09: 1,
  0x0b: 2,
  0x0c: 4,
  0x0d: 4,
  0x0e: 8,
};

/** Builds IDX bytes: the magic number, big-endian sizes, big-endian values. */
export function encodeIdx(type: IdxType, shape: number[], values: readonly number[]): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * SIZES[type]);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = shape.length;
  shape.forEach((s, d) => view.setUint32(4 + 4 * d, s, false));
  values.forEach((v, i) => {
    const at = header + i * SIZES[type];
    if (type === 0x08) view.setUint8(at, v);
    else if (type === 0x09) view.setInt8(at, v);
    else if (type === 0x0b) view.setInt16(at, v, false);
    else if (type === 0x0c) view.setInt32(at, v, false);
    else if (type === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  });
  return bytes;
}
