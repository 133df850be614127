// Freed memory kept in the process, so that a training step's fresh tensors reuse warm pages.
#pragma once

#include <napi.h>

namespace nabla {

// Applies the allocator settings (unless NABLA_KEEP_FREED=0) and exports mallocStats():
// { heap, inUse, cached } in bytes, or null where the C library cannot tell.
void RegisterMemory(Napi::Env env, Napi::Object exports);

}  // namespace nabla
