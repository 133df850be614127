// Type-checks every @example in src/ and prints the diagnostics as a JSON array of strings.
// examples.test.ts runs it as a child process (`node --import tsx test/docs/typecheck.ts`), so
// that the compiler works while the examples run.
import process from 'node:process';
import { typeCheck } from './compile.js';
import { allExamples } from './extract.js';

const { diagnostics } = typeCheck(allExamples());
process.stdout.write(JSON.stringify(diagnostics.map((d) => d.message)));
