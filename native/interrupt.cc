#include "interrupt.h"

#include <csignal>

namespace nabla {
namespace {

volatile std::sig_atomic_t pending = 0;
bool watching = false;
#ifndef _WIN32
struct sigaction previous;
#else
void (*previous)(int) = SIG_DFL;
#endif

void OnInterrupt(int) {
  if (pending != 0) {
    // Asked twice: give up waiting for the loop, end the process the default way.
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  pending = 1;
}

// watchInterrupt(true) installs the handler (forgetting any earlier Ctrl-C); false restores the
// handler there was before.
Napi::Value WatchInterrupt(const Napi::CallbackInfo& info) {
  const bool on = info.Length() > 0 && info[0].ToBoolean().Value();
  if (on && !watching) {
    pending = 0;
#ifndef _WIN32
    struct sigaction action = {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    watching = sigaction(SIGINT, &action, &previous) == 0;
#else
    previous = std::signal(SIGINT, OnInterrupt);
    watching = previous != SIG_ERR;
#endif
  } else if (!on && watching) {
#ifndef _WIN32
    sigaction(SIGINT, &previous, nullptr);
#else
    std::signal(SIGINT, previous);
#endif
    watching = false;
  }
  return Napi::Boolean::New(info.Env(), watching);
}

// Whether Ctrl-C was pressed since the handler was installed.
Napi::Value Interrupted(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pending != 0);
}

}  // namespace

void RegisterInterrupt(Napi::Env env, Napi::Object exports) {
  exports.Set("watchInterrupt", Napi::Function::New(env, WatchInterrupt, "watchInterrupt"));
  exports.Set("interrupted", Napi::Function::New(env, Interrupted, "interrupted"));
}

}  // namespace nabla
