// CPU feature detection and the choice of micro-kernels.
#ifndef NABLA_NATIVE_CPU_H
#define NABLA_NATIVE_CPU_H

#include "kernels.h"

namespace nabla {

struct CpuFeatures {
  bool avx512f, avx2, fma;
};

CpuFeatures DetectCpu();
// The kernel set for `name` ("avx512", "avx2" or "generic") when this build has it and this CPU
// runs it, else nullptr.
const KernelSet* UsableKernels(const char* name);
// Makes `set` the one matmul uses.
void SelectKernels(const KernelSet* set);

}  // namespace nabla

#endif
