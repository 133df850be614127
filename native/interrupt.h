// Ctrl-C, SIGTERM and SIGHUP during a synchronous training loop. JavaScript cannot see a signal
// until its event loop runs, and fit() does not return to it between steps; so while training, a
// C signal handler records the signal and fit's callback asks for it after each step. A second
// signal before the loop has noticed the first ends the process as usual.
#pragma once

#include <napi.h>

namespace nabla {

// Exports watchInterrupt(on: boolean), interrupted(): boolean and interruptSignal(): number.
void RegisterInterrupt(Napi::Env env, Napi::Object exports);

}  // namespace nabla
