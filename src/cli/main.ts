#!/usr/bin/env node
import { initBackends } from '../node/native.js';
import { main } from './program.js';

// The backend: NABLA_BACKEND if set, else native when its addon is built, else the TypeScript one.
initBackends();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`nabla: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
