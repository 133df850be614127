#include "memory.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <cstdint>

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

// Faults are what first touches cost here, and a 2 MiB transparent huge page takes one fault
// where 4 KiB pages take 512: touching 32 MiB took 259–318 ms in 4 KiB pages and 11–101 ms in
// huge pages on this VM (at load ~10). So the heap is first grown by kHugeBlocks × kHugeBlock
// (120 MiB) marked MADV_HUGEPAGE and given back to malloc, which then carves fresh tensors out of
// it: no memory is touched here, and what the process touches later faults in 2 MiB at a time.
constexpr std::size_t kHugeBlock = 30u << 20;  // below kMmapBelow: served from the heap
constexpr int kHugeBlocks = 4;
constexpr std::uintptr_t kHugePage = 2u << 20;

void GrowHeapWithHugePages() {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
  void* blocks[kHugeBlocks];
  for (void*& block : blocks) block = std::malloc(kHugeBlock);
  for (void* block : blocks) {
    if (block == nullptr) continue;
    const auto start = reinterpret_cast<std::uintptr_t>(block);
    const std::uintptr_t lo = (start + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t hi = (start + kHugeBlock) & ~(kHugePage - 1);
    if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
  }
  for (int i = kHugeBlocks - 1; i >= 0; i--) std::free(blocks[i]);
#endif
}

void KeepFreed() {
#if defined(__GLIBC__)
  const char* env = std::getenv("NABLA_KEEP_FREED");
  if (env != nullptr && std::strcmp(env, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, kMmapBelow);
  mallopt(M_TRIM_THRESHOLD, kTrimAbove);
  GrowHeapWithHugePages();
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
