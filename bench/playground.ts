/**
 * The playground in headless Chromium: mini-batch steps per second of the training worker while
 * the page draws, for the case — a 2-16-16-2 tanh network on 500 training points, batch
 * 32 — with Adam and with SGD, and the page's frames per second meanwhile (the page must stay
 * responsive); then frames per second while training and the main thread's time per frame,
 * beside TensorFlow Playground's in the same run (playground-frames.ts; build TF Playground first
 * with bench/peers/tf-playground.sh). Needs /usr/bin/chromium (Debian's `chromium` package).
 *
 * Run alone: `node --import tsx bench/playground.ts` (`--frames`: the frame rates only;
 * `--rounds=N`: N turns of each page, 3 by default; NABLA_BEFORE_DIST=<built playground>: an
 * earlier build measured in the same turns).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlayground, startPlaygroundServer } from '../src/cli/playground.js';
import type { BrowserContext } from 'playwright-core';
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
import { frameRates, type FrameRow } from './playground-frames.js';

const SECONDS = 8;

interface Row {
  case: string;
  stepsPerSecond: number;
  framesPerSecond: number;
  trainLoss: number;
}

/** Steps per second of the worker at full speed, and the page's frames meanwhile. */
async function stepRates(browser: BrowserContext, url: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, query] of [
    ['2-16-16-2 tanh, Adam, batch 32', 'optimizer=adam'],
    ['2-16-16-2 tanh, SGD, batch 32', 'optimizer=sgd&lr=0.1'],
  ] as const) {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${url}?hidden=16,16&samples=1000&train=0.5&batch=32&speed=max&${query}`);
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
  return rows;
}

async function main(): Promise<void> {
  const env = environment();
  printHeader('playground: training steps/s in headless Chromium while the page draws', env);
  const out = mkdtempSync(join(tmpdir(), 'nabla-playground-bench-'));
  await buildPlayground(undefined, { outDir: out });
  const server = await startPlaygroundServer({ port: 0, root: out });
  const { context: browser, profile } = await launchChromium({ width: 1440, height: 1000 });
  const rows: Row[] = [];
  let frames: Awaited<ReturnType<typeof frameRates>> | undefined;
  const framesOnly = process.argv.includes('--frames');
  try {
    if (!framesOnly) rows.push(...(await stepRates(browser, server.url)));
    const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3);
    frames = await frameRates(browser, server.url, { rounds });
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
  if (frames !== undefined) printFrames(frames.rows);
  printFooter(
    writeResults('playground', {
      environment: env,
      seconds: SECONDS,
      rows,
      frames: frames?.rows,
      tfPlayground: frames?.tfPlayground,
    }),
  );
}

/** The frame-rate rows, and each nabla row's ratio to the TF Playground round beside it. */
function printFrames(rows: FrameRow[]): void {
  const tf = (round: number): FrameRow[] =>
    rows.filter((r) => r.page === 'TF Playground' && r.round === round);
  const ratio = (r: FrameRow): string => {
    const peers = tf(r.round);
    if (r.page === 'TF Playground' || peers.length === 0) return '';
    return fixed(r.framesPerSecond / median(peers.map((p) => p.framesPerSecond)), 2);
  };
  const views = (r: FrameRow): string =>
    r.viewMs === undefined
      ? ''
      : Object.entries(r.viewMs)
          .map(([k, v]) => `${k} ${fixed(v, 1)}`)
          .join(', ');
  console.log(
    formatTable(
      [
        'page',
        'round',
        'frames/s',
        'nabla/TF fps',
        'main thread ms/frame',
        'p95 frame ms',
        'epochs/s',
        'view drawings (ms)',
        'load avg',
      ],
      rows.map((r) => [
        r.page,
        String(r.round),
        fixed(r.framesPerSecond, 1),
        ratio(r),
        fixed(r.busyPerFrameMs, 1),
        fixed(r.p95FrameMs, 1),
        fixed(r.epochsPerSecond, 1),
        views(r),
        fixed(r.loadAverage, 2),
      ]),
    ),
  );
}

if (isMain(import.meta.url)) await main();
