#!/usr/bin/env node
import { main } from './program.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`nabla: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
