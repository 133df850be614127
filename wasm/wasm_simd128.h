// WebAssembly SIMD128 vector traits for the micro-kernels of native/micro_kernel.h (the same
// template the AVX2 and AVX-512 files instantiate). Fma is a multiply then an add, two roundings:
// relaxed_madd may or may not fuse depending on the machine, and results must not.
#ifndef NABLA_WASM_SIMD128_H
#define NABLA_WASM_SIMD128_H

#include <wasm_simd128.h>

namespace {

// A compiler barrier (no instruction): memory accesses stay on their side of it. Placed before
// each broadcast of A, it keeps clang from hoisting a tile's broadcasts to the top of the step:
// V8 keeps the order of the loads, and with every broadcast live at once a 5-row tile needs 16
// xmm registers where V8 allocates 15, so an accumulator spills (20 against 47 GFLOP/s at 1024²).
inline void Order() { __asm__ volatile("" ::: "memory"); }

// Four floats in a v128.
struct F32 {
  using T = float;
  using Vec = v128_t;
  static constexpr int kWidth = 4;
  static Vec Zero() { return wasm_f32x4_const_splat(0.0f); }
  static Vec Load(const T* p) { return wasm_v128_load(p); }
  static void Store(T* p, Vec v) { wasm_v128_store(p, v); }
  static Vec Broadcast(const T* p) {
    Order();
    return wasm_v128_load32_splat(p);
  }
  static Vec Fma(Vec a, Vec b, Vec c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
  static Vec Add(Vec a, Vec b) { return wasm_f32x4_add(a, b); }
  static Vec LoadPartial(const T* p, long n) {
    alignas(16) T lanes[kWidth] = {0, 0, 0, 0};
    for (long i = 0; i < n; i++) lanes[i] = p[i];
    return wasm_v128_load(lanes);
  }
  static T Sum(Vec v) {  // pairs, then the two sums
    return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 2)) +
           (wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 3));
  }
};

// Two doubles in a v128.
struct F64 {
  using T = double;
  using Vec = v128_t;
  static constexpr int kWidth = 2;
  static Vec Zero() { return wasm_f64x2_const_splat(0.0); }
  static Vec Load(const T* p) { return wasm_v128_load(p); }
  static void Store(T* p, Vec v) { wasm_v128_store(p, v); }
  static Vec Broadcast(const T* p) {
    Order();
    return wasm_v128_load64_splat(p);
  }
  static Vec Fma(Vec a, Vec b, Vec c) { return wasm_f64x2_add(wasm_f64x2_mul(a, b), c); }
  static Vec Add(Vec a, Vec b) { return wasm_f64x2_add(a, b); }
  static Vec LoadPartial(const T* p, long n) {
    alignas(16) T lanes[kWidth] = {0, 0};
    for (long i = 0; i < n; i++) lanes[i] = p[i];
    return wasm_v128_load(lanes);
  }
  static T Sum(Vec v) { return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1); }
};

}  // namespace

#endif
