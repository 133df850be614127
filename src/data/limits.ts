/**
 * Limits on what a reader allocates from sizes it finds in a file, and the way messages write a
 * number of bytes. Browser-safe.
 *
 * @module
 */

/**
 * The most bytes a reader allocates for one tensor decoded from a file (4 GB): sizes read from a
 * header or implied by a file's length are checked against it before anything is allocated.
 */
export const MAX_TENSOR_BYTES = 4e9;

/** A number of bytes for people: "512 bytes", "47 MB", "1.0 GB", "16 GB" (decimal units). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} bytes`;
  if (n < 1000) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * Throws `${name}: …` when a tensor of `count` elements of `elementBytes` bytes each (as `what`
 * describes them) would take more than {@link MAX_TENSOR_BYTES}; otherwise returns.
 */
export function checkAllocation(
  count: number,
  elementBytes: number,
  what: string,
  name: string,
): void {
  const bytes = count * elementBytes;
  if (bytes > MAX_TENSOR_BYTES) {
    throw new RangeError(
      `${name}: ${what} would need ${formatBytes(bytes)} of memory, more than the ` +
        `${formatBytes(MAX_TENSOR_BYTES)} a reader allocates for one tensor`,
    );
  }
}
