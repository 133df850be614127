#include "cpu.h"

#include <atomic>
#include <cstring>
#include <initializer_list>

#include "gemm.h"

namespace nabla {

CpuFeatures DetectCpu() {
  CpuFeatures f = {false, false, false};
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
#endif
  return f;
}

const KernelSet* UsableKernels(const char* name) {
  const CpuFeatures f = DetectCpu();
  if (std::strcmp(name, "avx512") == 0) return f.avx512f && f.fma ? KernelsAvx512() : nullptr;
  if (std::strcmp(name, "avx2") == 0) return f.avx2 && f.fma ? KernelsAvx2() : nullptr;
  if (std::strcmp(name, "generic") == 0) return KernelsGeneric();
  return nullptr;
}

namespace {

const KernelSet* Best() {
  for (const char* name : {"avx512", "avx2"})
    if (const KernelSet* s = UsableKernels(name)) return s;
  return KernelsGeneric();
}

std::atomic<const KernelSet*> active{nullptr};

}  // namespace

void SelectKernels(const KernelSet* set) { active.store(set); }

const KernelSet& ActiveKernels() {
  const KernelSet* s = active.load();
  if (s == nullptr) {
    s = Best();
    active.store(s);
  }
  return *s;
}

}  // namespace nabla
