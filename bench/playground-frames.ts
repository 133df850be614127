/**
 * Frames per second of the playground while it trains, beside TensorFlow Playground's, in the
 * same headless Chromium in the same run: each page plays for a few seconds while the page counts
 * its requestAnimationFrame callbacks, and Chromium's own counters (the DevTools protocol's
 * Performance.getMetrics) give the main thread's busy time per frame — the cost of a drawing, the
 * same way for both. nabla's pages also report the time of each of their views' last drawings.
 * The pages take turns (nabla, TF, nabla at full speed, TF, …), so that other work on the shared
 * cores falls on both alike; the 1-minute load average is recorded beside each measurement.
 *
 * TensorFlow Playground is built from its repository by bench/peers/tf-playground.sh; without
 * its build (TF_PLAYGROUND_DIST, by default $TMPDIR/nabla-tf-playground/dist) only nabla is measured.
 */
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startPlaygroundServer, type PlaygroundServer } from '../src/cli/playground.js';

/** Where bench/peers/tf-playground.sh leaves TensorFlow Playground's built files. */
export const TF_PLAYGROUND_DIST =
  process.env.TF_PLAYGROUND_DIST ?? join(tmpdir(), 'nabla-tf-playground', 'dist');

export interface FrameRow {
  page: string;
  round: number;
  framesPerSecond: number;
  /** Main-thread busy time (Chromium's TaskDuration) per frame, ms. */
  busyPerFrameMs: number;
  /** The 95th percentile of the intervals between frames, ms. */
  p95FrameMs: number;
  /** Epochs trained per second meanwhile (from the page's own counter). */
  epochsPerSecond: number;
  /** nabla only: mean time of each view's drawing, ms. */
  viewMs?: Record<string, number>;
  loadAverage: number;
}

interface Target {
  name: string;
  url: string;
  /** The play button. */
  play: string;
  /** Reads the page's epoch counter. */
  epochs: string;
  /** Waits until the page is ready to play. */
  ready: string;
  nabla: boolean;
}

/** Counts frames for `seconds` in the page, with the frame intervals and nabla's view timings. */
const COUNT = `(async (seconds) => {
  let frames = 0, on = true, last = performance.now();
  const gaps = [];
  const count = (t) => { frames++; gaps.push(t - last); last = t; if (on) requestAnimationFrame(count); };
  requestAnimationFrame(count);
  const views = {};
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 250));
    const t = window.nablaPlayground?.timings?.() ?? {};
    for (const k in t) (views[k] ??= []).push(t[k]);
  }
  on = false;
  const elapsed = performance.now() - t0;
  gaps.sort((a, b) => a - b);
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  const viewMs = {};
  for (const k in views) viewMs[k] = mean(views[k]);
  return { frames, elapsed, p95: gaps[Math.floor(0.95 * (gaps.length - 1))] ?? NaN, viewMs };
})`;

/** The page's main-thread busy time so far (ms), by Chromium's own count. */
async function busyMs(cdp: Awaited<ReturnType<BrowserContext['newCDPSession']>>): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN);
}

async function measure(
  context: BrowserContext,
  target: Target,
  round: number,
  seconds: number,
): Promise<FrameRow> {
  const page = await context.newPage();
  try {
    await page.goto(target.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(target.ready, { timeout: 20_000 });
    await page.waitForTimeout(500);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.click(target.play);
    await page.waitForTimeout(1000);
    const epochs = async (): Promise<number> =>
      Number(await page.evaluate(target.epochs).catch(() => NaN));
    const e0 = await epochs();
    const b0 = await busyMs(cdp);
    const r = (await page.evaluate(`${COUNT}(${seconds})`)) as {
      frames: number;
      elapsed: number;
      p95: number;
      viewMs: Record<string, number>;
    };
    const b1 = await busyMs(cdp);
    const e1 = await epochs();
    await page.click(target.play);
    return {
      page: target.name,
      round,
      framesPerSecond: (r.frames * 1000) / r.elapsed,
      busyPerFrameMs: (b1 - b0) / Math.max(1, r.frames),
      p95FrameMs: r.p95,
      epochsPerSecond: ((e1 - e0) * 1000) / r.elapsed,
      viewMs: target.nabla ? r.viewMs : undefined,
      loadAverage: Math.round(loadavg()[0] * 100) / 100,
    };
  } finally {
    await page.close();
  }
}

/**
 * Measures nabla's playground (served at `nablaUrl`) at its default settings and at full speed,
 * and TensorFlow Playground at its defaults, in turns for `rounds` rounds of `seconds` each.
 */
export async function frameRates(
  context: BrowserContext,
  nablaUrl: string,
  { rounds = 3, seconds = 5 } = {},
): Promise<{ rows: FrameRow[]; tfPlayground: string | undefined }> {
  let tf: PlaygroundServer | undefined;
  // An earlier build of nabla's playground to compare with (NABLA_BEFORE_DIST), e.g. the last commit's.
  const beforeDist = process.env.NABLA_BEFORE_DIST;
  const before =
    beforeDist === undefined
      ? undefined
      : await startPlaygroundServer({ port: 0, host: '127.0.0.1', root: beforeDist });
  const hasTf = existsSync(`${TF_PLAYGROUND_DIST}/index.html`);
  if (hasTf)
    tf = await startPlaygroundServer({ port: 0, host: '127.0.0.1', root: TF_PLAYGROUND_DIST });
  const nabla = (name: string, query: string, url = nablaUrl): Target => ({
    name,
    url: `${url}?${query}`,
    play: '#play',
    epochs: `Number(document.getElementById('epoch-count').dataset.value)`,
    ready: '#network svg',
    nabla: true,
  });
  const targets: Target[] = [nabla('nabla (default speed)', '')];
  if (tf !== undefined)
    targets.push({
      name: 'TF Playground',
      url: `${tf.url}index.html`,
      play: '#play-pause-button',
      epochs: `Number(document.getElementById('iter-number').textContent.replace(/,/g, ''))`,
      ready: '#heatmap canvas',
      nabla: false,
    });
  targets.push(nabla('nabla (speed=max)', 'speed=max'));
  if (tf !== undefined) targets.push(targets[1]);
  if (before !== undefined) {
    targets.push(nabla('nabla before (default speed)', '', before.url));
    if (tf !== undefined) targets.push(targets[1]);
    targets.push(nabla('nabla before (speed=max)', 'speed=max', before.url));
    if (tf !== undefined) targets.push(targets[1]);
  }
  const rows: FrameRow[] = [];
  try {
    for (let round = 1; round <= rounds; round++)
      for (const t of targets) rows.push(await measure(context, t, round, seconds));
  } finally {
    await tf?.close();
    await before?.close();
  }
  return { rows, tfPlayground: hasTf ? TF_PLAYGROUND_DIST : undefined };
}
