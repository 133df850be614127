/**
 * CRC-32 (the checksum of zlib, gzip and PNG: polynomial 0xEDB88320, reflected, initial and final
 * value 0xFFFFFFFF), table-driven, on bytes, so that it runs in browsers as well as Node.js.
 */

/** The remainder of each byte value, computed once when the module loads. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes`, as an unsigned 32-bit integer. Pass the result of an earlier call as
 * `previous` to continue a checksum over more bytes.
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')).toString(16); // => 'cbf43926'
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A CRC-32 as 8 lowercase hex digits, as files store it. */
export function crc32Hex(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}
