/**
 * Seeding xoshiro128**: which numbers are seeds, and the four state words a seed becomes, derived
 * by two splitmix32-style streams, one over each 32-bit half of the seed.
 */

/** 2^32 and 2^53 as exact doubles. */
export const TWO_32 = 4294967296;
export const TWO_53 = 9007199254740992;

/** Whether `seed` is a seed: an integer with |seed| ≤ 2^53, negative ones included. */
export function isSeed(seed: unknown): seed is number {
  return typeof seed === 'number' && Number.isInteger(seed) && Math.abs(seed) <= TWO_53;
}

/**
 * The four xoshiro128** state words of a seed, as signed 32-bit integers, never all zero. Both
 * 32-bit halves of the seed (in 64-bit two's complement) feed them.
 */
export function seedWords(seed: number): [number, number, number, number] {
  const hi = Math.floor(seed / TWO_32);
  const lo = seed - hi * TWO_32; // in [0, 2^32)
  let a = lo | 0;
  let b = hi | 0;
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    a = (a + 0x9e3779b9) | 0;
    b = (b + 0x7f4a7c15) | 0;
    words[i] = splitmix32Mix(a ^ murmurMix(b));
  }
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 0x9e3779b9 | 0;
  return words;
}

/** The output mix of splitmix32: a bijection on 32-bit integers. */
function splitmix32Mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  return x ^ (x >>> 15);
}

/** MurmurHash3's finalizer: another bijection on 32-bit integers. */
function murmurMix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}
