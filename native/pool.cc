#include "pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace nabla {
namespace {

class Pool {
 public:
  explicit Pool(int threads) { Start(threads); }

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  void Resize(int threads) {
    std::lock_guard<std::mutex> busy(run_mu_);
    Stop();
    Start(threads);
  }

  void Run(int count, const std::function<void(int)>& task) {
    std::unique_lock<std::mutex> busy(run_mu_, std::try_to_lock);
    if (!busy.owns_lock() || workers_.empty() || count <= 1) {
      for (int i = 0; i < count; i++) task(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      task_ = &task;
      count_ = count;
      next_.store(0);
      active_ = static_cast<int>(workers_.size());
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    Drain();
    // The workers finish within microseconds of the caller: wait for them actively (yielding the
    // core to anyone else who wants it) before sleeping.
    for (int i = 0; i < kFinishSpins && active_.load(std::memory_order_acquire) != 0; i++)
      std::this_thread::yield();
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return active_.load() == 0; });
    task_ = nullptr;
  }

 private:
  void Start(int threads) {
    stop_ = false;
    // Each worker starts from the current generation, read here: reading it in the new thread
    // could miss a run that began before the thread got going.
    const uint64_t seen = generation_.load();
    for (int i = 1; i < threads; i++) workers_.emplace_back([this, seen] { Work(seen); });
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  void Drain() {
    for (int i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) (*task_)(i);
  }

  // Waits actively (yielding) for the next run before sleeping: consecutive kernels of a training
  // step come microseconds apart, and waking a sleeping thread costs tens of microseconds.
  bool SpinFor(uint64_t seen) {
    if (spin_micros_ <= 0) return false;
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(spin_micros_);
    for (int i = 0;; i++) {
      if (generation_.load(std::memory_order_acquire) != seen) return true;
      if ((i & 15) == 15 && std::chrono::steady_clock::now() > until) return false;
      std::this_thread::yield();  // gives the core away when anyone else is waiting for it
    }
  }

  void Work(uint64_t seen) {
    for (;;) {
      SpinFor(seen);
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [&] { return stop_ || generation_.load() != seen; });
        if (stop_) return;
        seen = generation_.load();
      }
      Drain();
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (active_.fetch_sub(1) == 1) done_.notify_one();
      }
    }
  }

  std::mutex run_mu_;  // one parallel run at a time
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* task_ = nullptr;
  int count_ = 0;
  std::atomic<int> next_{0};
  std::atomic<int> active_{0};
  static constexpr int kFinishSpins = 20000;
  std::atomic<uint64_t> generation_{0};
  // NABLA_SPIN_US overrides the spin (0: sleep at once).
  const int spin_micros_ = [] {
    const char* env = std::getenv("NABLA_SPIN_US");
    return env != nullptr ? std::atoi(env) : 50;
  }();
  bool stop_ = false;
};

Pool& ThePool() {
  // Never destroyed: joining threads from static destructors at process exit can deadlock.
  static Pool* pool = new Pool(std::max(1u, std::thread::hardware_concurrency()));
  return *pool;
}

}  // namespace

int GetThreads() { return ThePool().threads(); }
void SetThreads(int n) { ThePool().Resize(std::max(1, n)); }
void ParallelFor(int count, const std::function<void(int)>& task) { ThePool().Run(count, task); }

}  // namespace nabla
