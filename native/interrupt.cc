#include "interrupt.h"

#include <csignal>

namespace nabla {
namespace {

// The signals that stop a run after its current step: Ctrl-C, `kill` (and service managers),
// and a closed terminal. SIGHUP does not exist on Windows.
#ifndef _WIN32
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
#else
constexpr int kSignals[] = {SIGINT, SIGTERM};
#endif
constexpr int kCount = sizeof(kSignals) / sizeof(kSignals[0]);

// The number of the first signal received since the handlers were installed (0: none).
volatile std::sig_atomic_t pending = 0;
bool watching = false;
bool installed[kCount] = {};
#ifndef _WIN32
struct sigaction previous[kCount];
#else
void (*previous[kCount])(int) = {};
#endif

void OnInterrupt(int signal) {
  if (pending != 0) {
    // Asked twice: give up waiting for the loop, end the process the default way.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  pending = signal;
}

// Installs the handler for kSignals[i], unless the signal is ignored (as `nohup` ignores SIGHUP):
// an ignored signal stays ignored.
bool Install(int i) {
#ifndef _WIN32
  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (sigaction(kSignals[i], nullptr, &previous[i]) != 0) return false;
  if (kSignals[i] != SIGINT && previous[i].sa_handler == SIG_IGN) return false;
  return sigaction(kSignals[i], &action, nullptr) == 0;
#else
  previous[i] = std::signal(kSignals[i], OnInterrupt);
  return previous[i] != SIG_ERR;
#endif
}

void Restore(int i) {
#ifndef _WIN32
  sigaction(kSignals[i], &previous[i], nullptr);
#else
  std::signal(kSignals[i], previous[i]);
#endif
}

// watchInterrupt(true) installs the handlers (forgetting any earlier signal); false restores the
// handlers there were before. Watching means SIGINT is watched; the others are where they can be.
Napi::Value WatchInterrupt(const Napi::CallbackInfo& info) {
  const bool on = info.Length() > 0 && info[0].ToBoolean().Value();
  if (on && !watching) {
    pending = 0;
    for (int i = 0; i < kCount; i++) installed[i] = Install(i);
    watching = installed[0];
  } else if (!on && watching) {
    for (int i = 0; i < kCount; i++)
      if (installed[i]) Restore(i);
    watching = false;
  }
  return Napi::Boolean::New(info.Env(), watching);
}

// Whether a watched signal arrived since the handlers were installed.
Napi::Value Interrupted(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pending != 0);
}

// The number of the signal that arrived since the handlers were installed, or 0.
Napi::Value InterruptSignal(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(pending));
}

}  // namespace

void RegisterInterrupt(Napi::Env env, Napi::Object exports) {
  exports.Set("watchInterrupt", Napi::Function::New(env, WatchInterrupt, "watchInterrupt"));
  exports.Set("interrupted", Napi::Function::New(env, Interrupted, "interrupted"));
  exports.Set("interruptSignal", Napi::Function::New(env, InterruptSignal, "interruptSignal"));
}

}  // namespace nabla
