#include "memory.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nabla {
namespace {

// Every tensor's storage is a fresh ArrayBuffer, which Node takes from calloc. By default glibc
// serves blocks from 128 KiB up with their own mmap and gives them back to the system when
// freed, so each new activation or gradient of a training step faults its pages in again (on
// this kind of VM, about a microsecond per 4 KiB page: a 1 MB tensor pays more in faults than a
// kernel spends on it). Serving blocks up to kMmapBelow from the heap and trimming its top only
// past kTrimAbove keeps freed tensors' pages in the process for the next step, as PyTorch's
// caching allocator does; the memory kept is bounded by the trim threshold.
constexpr int kMmapBelow = 32 << 20;
constexpr int kTrimAbove = 256 << 20;

void KeepFreed() {
#if defined(__GLIBC__)
  const char* env = std::getenv("NABLA_KEEP_FREED");
  if (env != nullptr && std::strcmp(env, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, kMmapBelow);
  mallopt(M_TRIM_THRESHOLD, kTrimAbove);
#endif
}

Napi::Value MallocStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 m = mallinfo2();
  Napi::Object out = Napi::Object::New(env);
  out.Set("heap", Napi::Number::New(env, static_cast<double>(m.arena + m.hblkhd)));
  out.Set("inUse", Napi::Number::New(env, static_cast<double>(m.uordblks + m.hblkhd)));
  out.Set("cached", Napi::Number::New(env, static_cast<double>(m.fordblks)));
  return out;
#else
  return env.Null();
#endif
}

}  // namespace

void RegisterMemory(Napi::Env env, Napi::Object exports) {
  KeepFreed();
  exports.Set("mallocStats", Napi::Function::New(env, MallocStats, "mallocStats"));
}

}  // namespace nabla
