// Builds wasm/nabla.wasm, the WebAssembly SIMD kernels (wasm/README.md), with clang's wasm32
// target and wasm-ld (Debian: apt-get install clang lld). The file is committed and shipped, so
// users need no compiler; the build is reproducible byte for byte (no paths, dates or build ids
// in the output). `--check` rebuilds into a temporary directory and fails, with one line, when
// the committed file differs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = join(root, 'wasm');
const OUTPUT = 'nabla.wasm';

/**
 * Freestanding C++17 for wasm32 with SIMD128 and bulk memory (loops that fill or copy become
 * memory.fill / memory.copy, not calls to a libc that is not there); exports are marked in the
 * sources (export_name) plus __heap_base, where the TypeScript side starts placing arrays.
 */
const FLAGS = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-mbulk-memory',
  '-matomics',
  '-mmutable-globals',
  '-std=c++17',
  '-ffreestanding',
  '-nostdlib',
  '-fno-exceptions',
  '-fno-rtti',
  // Without loop strength reduction, constant offsets stay in the loads' offset immediates,
  // which V8 folds into the address: the GEMM micro-kernel's step loses 4 integer instructions
  // of ~37 (about 5% at 1024²), and the module 4 KB of its 21 (gzip'd); no kernel measured slower.
  '-mllvm',
  '-disable-lsr',
  '-Wall',
  '-Werror',
  '-Wl,--no-entry',
  '-Wl,--export=__heap_base',
  '-Wl,--export=__stack_pointer',
  '-Wl,--import-memory',
  '-Wl,--shared-memory',
  '-Wl,--max-memory=4294967296',
  '-Wl,--strip-all',
  '-Wl,-z,stack-size=65536',
];

/** Compiles and links every wasm/*.cc into `out`; returns the error text, or undefined. */
function build(out) {
  const sources = readdirSync(wasmDir)
    .filter((f) => f.endsWith('.cc'))
    .sort();
  // Relative paths from wasm/, so that no directory of this machine can reach the output.
  const r = spawnSync('clang', [...FLAGS, ...sources, '-o', out], {
    cwd: wasmDir,
    encoding: 'utf8',
  });
  if (r.error) return `clang: ${r.error.message} (install clang and lld)`;
  if (r.status !== 0) return r.stderr.trim() || `clang exited with ${r.status}`;
  return undefined;
}

function main() {
  const check = process.argv.includes('--check');
  const temp = check ? mkdtempSync(join(tmpdir(), 'nabla-wasm-')) : undefined;
  const out = temp ? join(temp, OUTPUT) : join(wasmDir, OUTPUT);
  try {
    const error = build(out);
    if (error !== undefined) {
      process.stderr.write(`build-wasm: ${error}\n`);
      return 1;
    }
    if (check && !readFileSync(out).equals(readFileSync(join(wasmDir, OUTPUT)))) {
      process.stderr.write(
        `build-wasm: wasm/${OUTPUT} differs from a build of wasm/*.cc; run node scripts/build-wasm.mjs and commit it\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

process.exitCode = main();
