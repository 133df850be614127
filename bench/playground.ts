/**
 * The playground in headless Chromium: mini-batch steps per second of the training worker while
 * the page draws, for the case — a 2-16-16-2 tanh network on 500 training points, batch
 * 32 — with Adam and with SGD, and the page's frames per second meanwhile (the page must stay
 * responsive). Needs /usr/bin/chromium (Debian's `chromium` package).
 *
 * Run alone: `node --import tsx bench/playground.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlayground, startPlaygroundServer } from '../src/cli/playground.js';
import { launchChromium } from '../test/playground/chromium.js';
import {
  environment,
  fixed,
  formatTable,
  isMain,
  median,
  printFooter,
  printHeader,
  writeResults,
} from './report.js';

const SECONDS = 8;

interface Row {
  case: string;
  stepsPerSecond: number;
  framesPerSecond: number;
  trainLoss: number;
}

async function main(): Promise<void> {
  const env = environment();
  printHeader('playground: training steps/s in headless Chromium while the page draws', env);
  const out = mkdtempSync(join(tmpdir(), 'nabla-playground-bench-'));
  await buildPlayground(undefined, { outDir: out });
  const server = await startPlaygroundServer({ port: 0, root: out });
  const { context: browser, profile } = await launchChromium({ width: 1440, height: 1000 });
  const rows: Row[] = [];
  try {
    for (const [name, query] of [
      ['2-16-16-2 tanh, Adam, batch 32', 'optimizer=adam'],
      ['2-16-16-2 tanh, SGD, batch 32', 'optimizer=sgd&lr=0.1'],
    ] as const) {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(
        `${server.url}?hidden=16,16&samples=1000&train=0.5&batch=32&speed=max&${query}`,
      );
      await page.waitForSelector('#network svg');
      await page.click('#play');
      await page.waitForTimeout(1500);
      const rates: number[] = [];
      // Steps counted from the page's step counter, and frames from requestAnimationFrame.
      // (A string, so that tsx's helpers do not leak into the page's code.)
      const result = (await page.evaluate(`(async (seconds) => {
        const read = () => Number(document.getElementById('step-count').dataset.value);
        let frames = 0;
        let on = true;
        const count = () => {
          frames++;
          if (on) requestAnimationFrame(count);
        };
        requestAnimationFrame(count);
        const samples = [];
        for (let i = 0; i < seconds; i++) {
          const s0 = read();
          const t0 = performance.now();
          await new Promise((r) => setTimeout(r, 1000));
          samples.push(((read() - s0) * 1000) / (performance.now() - t0));
        }
        on = false;
        return { samples, fps: frames / seconds };
      })(${SECONDS})`)) as { samples: number[]; fps: number };
      rates.push(...result.samples);
      await page.click('#play');
      const loss = Number(await page.getAttribute('#train-loss', 'data-value'));
      rows.push({
        case: name,
        stepsPerSecond: median(rates),
        framesPerSecond: result.fps,
        trainLoss: loss,
      });
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(out, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(
    formatTable(
      ['case', 'steps/s (median of 1-s windows)', 'frames/s meanwhile', 'training loss after'],
      rows.map((r) => [
        r.case,
        fixed(r.stepsPerSecond, 0),
        fixed(r.framesPerSecond, 1),
        fixed(r.trainLoss, 4),
      ]),
    ),
  );
  printFooter(writeResults('playground', { environment: env, seconds: SECONDS, rows }));
}

if (isMain(import.meta.url)) await main();
