/**
 * A short, readable rendering of a user-supplied value for error messages: numbers as they are,
 * strings quoted, short lists spelled out, objects by their class name.
 *
 * @internal
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  if (Array.isArray(value)) {
    const text = `[${value.map(describe).join(', ')}]`;
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    if (name && name !== 'Object') return `a ${name}`;
    return 'an object';
  }
  return `a ${typeof value}`;
}

/** Checks that `value` is an integer ≥ `min`, else throws a RangeError naming `what`. @internal */
export function checkInteger(value: unknown, min: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${what} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}
