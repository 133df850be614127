// Log-softmax along the rows of a matrix for WebAssembly (Backend.logSoftmax with inner = 1):
// out = x − (m + log Σ exp(x − m)), m the row's maximum (0 when it is not finite), as
// src/backend/js/softmax.ts. The module has no libm: exp and log here are fdlibm's (FreeBSD's
// e_exp.c and e_log.c), the functions V8 and SpiderMonkey compute Math.exp and Math.log with, step
// for step; exp runs on two doubles at a time. The sum is made in the reference's order, so on
// those engines the results are the reference's bits (engines whose Math.exp is another libm's
// differ in the last bit of some exponentials, within the suites' tolerance).
#include <wasm_simd128.h>

#include "export.h"

namespace {

inline long long Bits(double x) { return __builtin_bit_cast(long long, x); }
inline double FromBits(long long b) { return __builtin_bit_cast(double, b); }

// fdlibm's constants (e_exp.c).
constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kP1 = 1.66666666666666019037e-01, kP2 = -2.77777777770155933842e-03,
                 kP3 = 6.61375632143793436117e-05, kP4 = -1.65339022054652515390e-06,
                 kP5 = 4.13813679705723846039e-08;
constexpr double kOverflow = 7.09782712893383973096e+02, kUnderflow = -7.45133219101941108420e+02;

inline v128_t Splat(double v) { return wasm_f64x2_splat(v); }

// 2^k for whole k in [−1022, 1023], from the exponent bits.
inline v128_t Pow2(v128_t k) {
  const v128_t i = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(k));
  return wasm_i64x2_shl(wasm_i64x2_add(i, wasm_i64x2_splat(1023)), 52);
}

// exp of two doubles, fdlibm's steps in each lane: k = 0 for |x| ≤ ½ln2 (by the high word, as
// there), else k = trunc(x/ln2 ± ½); x reduced to r = hi − lo; the rational approximation; the
// scaling by 2^k (two exact halves, so k up to 1024 needs no case of its own). Tiny |x| < 2^-28
// gives 1 + x; beyond the thresholds ∞ or 0; NaN stays NaN. Arguments below −708 (k < −1021)
// are scaled in another order than fdlibm's, which can change the last bit of a subnormal result.
// Not inlined: one copy for all its callers keeps the module small, and a call per two elements
// costs little beside its fifty operations.
__attribute__((noinline)) v128_t Exp2(v128_t x) {
  const v128_t high = wasm_u64x2_shr(wasm_v128_and(x, wasm_i64x2_splat(0x7fffffffffffffffLL)), 32);
  const v128_t reduce = wasm_i64x2_gt(high, wasm_i64x2_splat(0x3fd62e42));
  const v128_t half = wasm_v128_or(Splat(0.5), wasm_v128_and(x, Splat(-0.0)));  // ±½
  const v128_t k = wasm_v128_and(
      reduce, wasm_f64x2_trunc(wasm_f64x2_add(wasm_f64x2_mul(x, Splat(kInvLn2)), half)));
  const v128_t hi = wasm_f64x2_sub(x, wasm_f64x2_mul(k, Splat(kLn2Hi)));
  const v128_t lo = wasm_f64x2_mul(k, Splat(kLn2Lo));
  const v128_t r = wasm_v128_bitselect(wasm_f64x2_sub(hi, lo), x, reduce);
  const v128_t t = wasm_f64x2_mul(r, r);
  v128_t p = wasm_f64x2_add(Splat(kP4), wasm_f64x2_mul(t, Splat(kP5)));
  p = wasm_f64x2_add(Splat(kP3), wasm_f64x2_mul(t, p));
  p = wasm_f64x2_add(Splat(kP2), wasm_f64x2_mul(t, p));
  p = wasm_f64x2_add(Splat(kP1), wasm_f64x2_mul(t, p));
  const v128_t c = wasm_f64x2_sub(r, wasm_f64x2_mul(t, p));
  // k = 0: 1 − ((r·c)/(c − 2) − r); else 1 − ((lo − (r·c)/(2 − c)) − hi), times 2^k. One
  // division: (r·c)/(c − 2) is −q exactly, q = (r·c)/(2 − c).
  const v128_t q = wasm_f64x2_div(wasm_f64x2_mul(r, c), wasm_f64x2_sub(Splat(2), c));
  const v128_t y0 = wasm_f64x2_sub(Splat(1), wasm_f64x2_sub(wasm_f64x2_neg(q), r));
  const v128_t yk = wasm_f64x2_sub(Splat(1), wasm_f64x2_sub(wasm_f64x2_sub(lo, q), hi));
  const v128_t kHalf = wasm_f64x2_trunc(wasm_f64x2_mul(k, Splat(0.5)));
  const v128_t scaled =
      wasm_f64x2_mul(wasm_f64x2_mul(yk, Pow2(kHalf)), Pow2(wasm_f64x2_sub(k, kHalf)));
  v128_t y = wasm_v128_bitselect(scaled, y0, reduce);
  const v128_t tiny = wasm_i64x2_gt(wasm_i64x2_splat(0x3e300000), high);
  y = wasm_v128_bitselect(wasm_f64x2_add(Splat(1), x), y, tiny);
  y = wasm_v128_bitselect(Splat(__builtin_inf()), y, wasm_f64x2_gt(x, Splat(kOverflow)));
  y = wasm_v128_bitselect(Splat(0), y, wasm_f64x2_lt(x, Splat(kUnderflow)));
  return wasm_v128_bitselect(wasm_f64x2_add(x, x), y, wasm_f64x2_ne(x, x));
}

// fdlibm's log (e_log.c), one double.
double Log(double x) {
  constexpr double kTwo54 = 1.80143985094819840000e+16;
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01,
                   kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01,
                   kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01,
                   kLg7 = 1.479819860511658591e-01;
  int hx = static_cast<int>(Bits(x) >> 32);
  const unsigned lx = static_cast<unsigned>(Bits(x));
  int k = 0;
  if (hx < 0x00100000) {                                         // x < 2^-1022
    if (((hx & 0x7fffffff) | lx) == 0) return -__builtin_inf();  // log(±0) = −∞
    if (hx < 0) return (x - x) / 0.0;                            // log(−x) = NaN
    k -= 54;
    x *= kTwo54;  // subnormal: scaled up
    hx = static_cast<int>(Bits(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const int i = (hx + 0x95f64) & 0x100000;
  // x or x/2 normalized into [√2/2, √2).
  x = FromBits((static_cast<long long>(hx | (i ^ 0x3ff00000)) << 32) | (Bits(x) & 0xffffffffLL));
  k += i >> 20;
  const double f = x - 1.0, dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {  // −2^-20 ≤ f < 2^-20
    if (f == 0) return k == 0 ? 0 : dk * kLn2Hi + dk * kLn2Lo;
    const double r = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - r : dk * kLn2Hi - ((r - dk * kLn2Lo) - f);
  }
  const double s = f / (2.0 + f), z = s * s, w = z * z;
  const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const double r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const double hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * kLn2Hi - ((hfsq - (s * (hfsq + r) + dk * kLn2Lo)) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * kLn2Hi - ((s * (f - r) - dk * kLn2Lo) - f);
}

// Two elements of a row as doubles, and back (float32 rounds on the way out, as a store does).
inline v128_t Load2(const float* p) {
  return wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(p));
}
inline v128_t Load2(const double* p) { return wasm_v128_load(p); }
inline void Store2(float* p, v128_t v) {
  wasm_v128_store64_lane(p, wasm_f32x4_demote_f64x2_zero(v), 0);
}
inline void Store2(double* p, v128_t v) { wasm_v128_store(p, v); }

// One row: e (cols doubles) holds the exponentials, summed in order afterwards.
template <typename T>
void Row(const T* x, long cols, T* out, double* e) {
  double m = -__builtin_inf();
  for (long c = 0; c < cols; c++) {
    const double v = x[c];
    if (v > m || v != v) m = v;
  }
  if (m - m != 0) m = 0;  // ±∞ or NaN: no shift
  long c = 0;
  for (; c + 2 <= cols; c += 2)
    wasm_v128_store(e + c, Exp2(wasm_f64x2_sub(Load2(x + c), Splat(m))));
  if (c < cols) e[c] = wasm_f64x2_extract_lane(Exp2(Splat(x[c] - m)), 0);
  double s = 0;
  for (c = 0; c < cols; c++) s += e[c];
  const double shift = m + Log(s);
  for (c = 0; c + 2 <= cols; c += 2) Store2(out + c, wasm_f64x2_sub(Load2(x + c), Splat(shift)));
  if (c < cols) out[c] = static_cast<T>(x[c] - shift);
}

}  // namespace

extern "C" {

// scratch: cols doubles.
EXPORT(log_softmax_rows_f32)
void log_softmax_rows_f32(const float* x, long rows, long cols, float* out, double* scratch) {
  for (long r = 0; r < rows; r++) Row<float>(x + r * cols, cols, out + r * cols, scratch);
}
EXPORT(log_softmax_rows_f64)
void log_softmax_rows_f64(const double* x, long rows, long cols, double* out, double* scratch) {
  for (long r = 0; r < rows; r++) Row<double>(x + r * cols, cols, out + r * cols, scratch);
}

// exp and log one double at a time, for the tests (test/backend/wasm-softmax.test.ts).
EXPORT(fdlibm_exp) double fdlibm_exp(double x) {
  return wasm_f64x2_extract_lane(Exp2(Splat(x)), 0);
}
EXPORT(fdlibm_log) double fdlibm_log(double x) { return Log(x); }
}
