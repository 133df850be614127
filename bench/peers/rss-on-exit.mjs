/**
 * Preloaded by bench/compare.ts into the process it times end to end (`node --import
 * ./bench/peers/rss-on-exit.mjs dist/cli/main.js train …`): when the process exits, writes its
 * peak RSS in MB, as JSON, to the file named by `NABLA_BENCH_RSS_FILE`.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.NABLA_BENCH_RSS_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    writeFileSync(file, JSON.stringify({ maxRssMB }));
  });
}
