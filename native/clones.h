// NABLA_VECTOR_CLONES: GCC builds the function it marks for AVX-512F, AVX2 and the baseline, and
// picks one when the addon loads (an ifunc), so that a loop the compiler vectorizes runs 16 or 8
// float lanes wide instead of SSE2's 4. Only for loops whose every element is computed alone, or
// whose sums keep their order: the lanes never change a result (-ffp-contract=off holds in every
// clone, so no multiply-add is fused).
#ifndef NABLA_NATIVE_CLONES_H
#define NABLA_NATIVE_CLONES_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NABLA_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NABLA_VECTOR_CLONES
#endif

#endif
