// Ctrl-C during a synchronous training loop. JavaScript cannot see a signal until its event loop
// runs, and fit() does not return to it between steps; so while training, a C signal handler
// records SIGINT and fit's callback asks for it after each step. A second Ctrl-C before the loop
// has noticed the first ends the process as usual.
#pragma once

#include <napi.h>

namespace nabla {

// Exports watchInterrupt(on: boolean) and interrupted(): boolean.
void RegisterInterrupt(Napi::Env env, Napi::Object exports);

}  // namespace nabla
