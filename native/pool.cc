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

#ifdef __linux__
#include <sched.h>
#endif

namespace nabla {
namespace {

using Clock = std::chrono::steady_clock;

// A run's state in one word, so that joining and closing cannot race: the run's generation in
// the high 32 bits, a "closed" bit, and the number of workers that joined it in the low bits.
constexpr uint64_t kClosed = 1ULL << 31;
constexpr uint64_t kJoined = kClosed - 1;
inline uint64_t Generation(uint64_t s) { return s >> 32; }

// Waits actively for `ready` (yielding the core to anyone else who wants it) for at most
// `micros`; whether it came.
template <typename F>
bool SpinUntil(F ready, int micros) {
  if (micros <= 0) return ready();
  const auto until = Clock::now() + std::chrono::microseconds(micros);
  for (int i = 0;; i++) {
    if (ready()) return true;
    if ((i & 15) == 15 && Clock::now() > until) return ready();
    std::this_thread::yield();
  }
}

// The pool: workers join a run only while it is open; the caller drains the tasks itself too,
// then closes the run and waits only for the workers that joined. A worker that wakes late
// (its core busy with another process) finds the run closed and goes back to waiting, so the
// caller never waits for a thread that did no work. When the joined workers keep the caller
// waiting (a worker preempted in the middle of its task), the pool backs off: it runs the next
// kernels inline on the caller for a while, so two threads are not slower than one on a busy
// machine. A worker that joins a run keeps off the core the caller is on (AvoidCaller). Which
// thread runs a task never changes a result: tasks write disjoint outputs.
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
    if (!busy.owns_lock() || workers_.empty() || count <= 1 || Backoff()) {
      for (int i = 0; i < count; i++) task(i);
      return;
    }
    Open(count, task);
    const auto start = Clock::now();
    Drain();
    const auto drained = Clock::now();
    const int joined = static_cast<int>(state_.fetch_or(kClosed) & kJoined);
    WaitFinished(joined);
    Judge(drained - start, Clock::now() - drained);
    task_ = nullptr;
  }

 private:
  void Start(int threads) {
    stop_ = false;
    for (int i = 1; i < threads; i++) workers_.emplace_back([this] { Work(); });
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

  // Publishes a run: its task and count first, then the new generation that workers look for.
  void Open(int count, const std::function<void(int)>& task) {
#ifdef __linux__
    caller_cpu_.store(sched_getcpu(), std::memory_order_relaxed);
#endif
    task_ = &task;
    count_ = count;
    next_.store(0);
    finished_.store(0);
    state_.store(++generation_ << 32);
    if (sleepers_.load() > 0) {
      std::lock_guard<std::mutex> lock(mu_);
      wake_.notify_all();
    }
  }

  void Drain() {
    for (int i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) (*task_)(i);
  }

  // The joined workers finish within microseconds of the caller: wait actively, then sleep.
  void WaitFinished(int joined) {
    auto done = [&] { return finished_.load() >= joined; };
    if (SpinUntil(done, kFinishSpinMicros)) return;
    std::unique_lock<std::mutex> lock(mu_);
    caller_waiting_.store(true);
    done_.wait(lock, done);
    caller_waiting_.store(false);
  }

  // Counts runs where the caller waited for joined workers longer than a quarter of its own
  // share of the work (and more than kLateMicros): two in a row start an inline stretch, twice
  // as long as the last one (up to kMaxBackoff runs); a run without waiting ends the streak.
  void Judge(Clock::duration own, Clock::duration waited) {
    const auto late = std::chrono::microseconds(kLateMicros);
    if (waited > late && 4 * waited > own) {
      if (++late_runs_ >= 2) {
        backoff_len_ = std::min(kMaxBackoff, std::max(kMinBackoff, 2 * backoff_len_));
        backoff_left_ = backoff_len_;
        late_runs_ = 0;
      }
    } else {
      late_runs_ = 0;
      if (waited <= late) backoff_len_ = std::max(0, backoff_len_ / 2);
    }
  }

  bool Backoff() {
    if (backoff_left_ <= 0) return false;
    backoff_left_--;
    return true;
  }

  // Joins the open run of generation `gen`, or returns false when it is closed or gone.
  bool Join(uint64_t gen) {
    uint64_t s = state_.load();
    while (Generation(s) == gen && (s & kClosed) == 0) {
      if (state_.compare_exchange_weak(s, s + 1)) return true;
    }
    return false;
  }

  // Keeps the worker off the core the caller runs on (its affinity: every core but that one), so
  // that beside another busy process the caller and a worker do not end up sharing one core
  // while the other process has the other to itself.
  void AvoidCaller(int* avoided) {
#ifdef __linux__
    const int cpu = caller_cpu_.load(std::memory_order_relaxed);
    if (cpu < 0 || cpu == *avoided || cpu >= CPU_SETSIZE) return;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return;
    if (*avoided >= 0) CPU_SET(*avoided, &set);
    CPU_CLR(cpu, &set);
    if (CPU_COUNT(&set) == 0 || sched_setaffinity(0, sizeof set, &set) != 0) return;
    *avoided = cpu;
#endif
  }

  void Work() {
    uint64_t seen = 0;
    int avoided = -1;
    for (;;) {
      auto fresh = [&] { return Generation(state_.load()) != seen; };
      if (!SpinUntil(fresh, spin_micros_)) {
        std::unique_lock<std::mutex> lock(mu_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, [&] { return stop_ || fresh(); });
        sleepers_.fetch_sub(1);
        if (stop_) return;
      }
      seen = Generation(state_.load());
      if (!Join(seen)) continue;
      AvoidCaller(&avoided);
      Drain();
      finished_.fetch_add(1);
      if (caller_waiting_.load()) {
        std::lock_guard<std::mutex> lock(mu_);
        done_.notify_one();
      }
    }
  }

  std::mutex run_mu_;  // one parallel run at a time
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* task_ = nullptr;
  int count_ = 0;
  uint64_t generation_ = 0;  // the caller's count of runs (under run_mu_)
  std::atomic<uint64_t> state_{0};
  std::atomic<int> next_{0}, finished_{0}, sleepers_{0};
  std::atomic<bool> caller_waiting_{false};
  // Backoff state, touched only by the caller under run_mu_.
  int late_runs_ = 0, backoff_len_ = 0, backoff_left_ = 0;
  static constexpr int kFinishSpinMicros = 2000;
  static constexpr int kLateMicros = 20;
  static constexpr int kMinBackoff = 16, kMaxBackoff = 1024;
  // NABLA_SPIN_US overrides the workers' spin (0: sleep at once).
  const int spin_micros_ = [] {
    const char* env = std::getenv("NABLA_SPIN_US");
    return env != nullptr ? std::atoi(env) : 50;
  }();
  bool stop_ = false;
  std::atomic<int> caller_cpu_{-1};
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
