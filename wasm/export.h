// Marks a function as exported from nabla.wasm under its own name (src/backend/wasm/module.ts
// declares what each export takes).
#ifndef NABLA_WASM_EXPORT_H
#define NABLA_WASM_EXPORT_H

#define EXPORT(name) __attribute__((export_name(#name)))

#endif
