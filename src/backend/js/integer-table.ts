/**
 * The integer, bitwise and logical binary formulas (a part of `binary-table.ts`, which spreads
 * them in), computed in doubles like the others and converted on store.
 *
 * Semantics, decided here once, as PyTorch's:
 * - `remainder` takes the sign of the divisor (Python's `%`), `fmod` the sign of the dividend (C's
 *   `fmod`, JavaScript's `%`). Over int32 operands both are exact; a zero divisor gives NaN
 *   (stored as 0 in an integer array: the op layer refuses integer division by zero first).
 * - `floorDivide` is Python's `//` on floats (the quotient of `a − fmod(a, b)` by b, rounded to
 *   the nearest integer and then floored, so `1 // 0.1` is 9 as in Python and PyTorch, not 10);
 *   `truncDivide` is trunc(a / b). Over int32 the double quotient is exact enough for both.
 * - The logical ops read any non-zero value (NaN included) as true and give 1 or 0.
 * - The bitwise ops work on the two's-complement bits of int32 (uint8 and bool values are small
 *   non-negative integers, so the same `&`, `|`, `^` serve them). Shifts take the shift count
 *   modulo 32, as PyTorch's int32 shifts do on x86 (1 << 33 = 2); `>>` is arithmetic.
 *
 * @example
 * integerFormulas.remainder(-7, 3); // => 2
 */
export const integerFormulas = {
  remainder: (a: number, b: number) => {
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  fmod: (a: number, b: number) => a % b,
  floorDivide: (a: number, b: number) => floorDivide(a, b),
  truncDivide: (a: number, b: number) => Math.trunc(a / b),
  logicalAnd: (a: number, b: number) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a: number, b: number) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a: number, b: number) => ((a !== 0) !== (b !== 0) ? 1 : 0),
  bitwiseAnd: (a: number, b: number) => a & b,
  bitwiseOr: (a: number, b: number) => a | b,
  bitwiseXor: (a: number, b: number) => a ^ b,
  bitwiseLeftShift: (a: number, b: number) => a << b,
  bitwiseRightShift: (a: number, b: number) => a >> b,
} satisfies Record<string, (a: number, b: number) => number>;

/** Python's float floor division (CPython's `float_floor_div`, which PyTorch follows). */
function floorDivide(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  // A zero quotient takes the sign of a / b (CPython's copysign(0, a / b)).
  if (div === 0) return (a / b) * 0;
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}
