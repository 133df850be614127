/**
 * The playground's heat maps come from the training worker, in headless Chromium: while training
 * runs, the page's thread draws no heat map itself (no forward pass of the model for them), yet the
 * boundary's pixels and the neurons' pictures keep changing; a change of how the page draws
 * (discretize) reaches the worker's pictures. So do the warped space (the worker maps it, the page
 * draws its lines) and the large picture of a neuron pointed at. Structure only: the speed is
 * measured in bench/playground.ts, never asserted here.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaygroundServer } from '../../src/cli/playground.js';
import { closePlayground, openPlayground, poll } from './chromium.js';

/** The page's test hooks, typed without the DOM library (Node's tsconfig has none). */
type PageWindow = { nablaPlayground?: { pagePictures(): number } };

let outDir = '';
let profile = '';
let server: PlaygroundServer | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

/** How often the page drew heat maps on its own thread. */
const pagePictures = (): Promise<number> =>
  page.evaluate(() => (globalThis as PageWindow).nablaPlayground!.pagePictures());

/** The boundary canvas's pixels, as a data URL (equal pictures, equal strings). */
const boundaryPixels = (): Promise<string> =>
  page.evaluate(`document.getElementById('boundary').toDataURL('image/png')`) as Promise<string>;

/** The warped space's canvas, as a data URL. */
const warpPixels = (): Promise<string> =>
  page.evaluate(`document.querySelector('#warp canvas').toDataURL('image/png')`) as Promise<string>;

/** Every neuron picture's image in the network view. */
const neuronImages = (): Promise<string[]> =>
  page.evaluate(
    `Array.from(document.querySelectorAll('#network g.neuron canvas'), (c) => c.toDataURL('image/png'))`,
  ) as Promise<string[]>;

const step = async (): Promise<number> =>
  Number(await page.locator('#step-count').getAttribute('data-value'));

async function open(query: string): Promise<void> {
  await page.goto(`${server!.url}?${query}`);
  await page.locator('#network svg').waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => (globalThis as PageWindow).nablaPlayground !== undefined);
}

describe('the playground’s heat maps are drawn in the worker', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    ({ outDir, server, context, profile, page } = await openPlayground('nabla-playground-frames-'));
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(() => closePlayground({ context, server, outDir, profile }));

  it.each([
    { name: 'at the default speed', query: '' },
    { name: 'as fast as it goes', query: 'speed=max&hidden=8,8' },
  ])(
    'while training $name, the page draws no heat map itself and they still change',
    async ({ query }) => {
      await open(query);
      await page.locator('#play').click();
      await poll(page, step, (s) => s > 0);
      // Let the first snapshots with pictures arrive (the page may draw its own before them).
      await page.waitForTimeout(300);
      const before = await pagePictures();
      const pixels0 = await boundaryPixels();
      const images0 = await neuronImages();
      const step0 = await step();
      await page.waitForTimeout(1500);
      const pixels1 = await boundaryPixels();
      const images1 = await neuronImages();
      const step1 = await step();
      const after = await pagePictures();
      await page.locator('#play').click();
      expect(step1).toBeGreaterThan(step0);
      // No heat map drawn on the page's thread while training ran …
      expect(after).toBe(before);
      // … yet the boundary and the neurons' pictures kept changing.
      expect(pixels1).not.toBe(pixels0);
      expect(images1.length).toBe(images0.length);
      expect(images1.length).toBeGreaterThan(2);
      expect(images1.filter((href, i) => href !== images0[i]).length).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    },
  );

  it('follows discretize in the worker’s pictures while training', async () => {
    await open('speed=max');
    await page.locator('#play').click();
    await poll(page, step, (s) => s > 0);
    await page.getByLabel('Discretize boundary').check();
    await page.waitForTimeout(500);
    const before = await pagePictures();
    await page.waitForTimeout(1000);
    // The page drew the change once itself at most; since then the worker's pictures fit again.
    expect(await pagePictures()).toBe(before);
    await page.locator('#play').click();
    expect(pageErrors).toEqual([]);
  });

  it('draws the worker’s warped space while training, and a new choice of neurons', async () => {
    await open('hidden=4,2');
    const label = page.locator('#warp canvas');
    await poll(
      page,
      () => label.getAttribute('aria-label'),
      (l) => l !== null,
    );
    expect(await label.getAttribute('aria-label')).toContain('neuron 1 of hidden layer 1');
    // Paused: a new choice is mapped by the worker and drawn at once.
    await page.locator('select[name="warp-layer"]').selectOption('2');
    await page.locator('select[name="warp-x"]').selectOption('1');
    await page.locator('select[name="warp-y"]').selectOption('0');
    const swapped = 'neuron 2 of hidden layer 2 (across) and neuron 1 of hidden layer 2 (up)';
    await poll(
      page,
      () => label.getAttribute('aria-label'),
      (l) => l?.includes(swapped) ?? false,
    );
    // The two neurons of the layer are its whole space: the class predicted paints the background.
    expect(await page.locator('#warp [data-entry="background"]').count()).toBe(1);
    await page.locator('#play').click();
    await poll(page, step, (s) => s > 0);
    await page.waitForTimeout(300);
    const before = await pagePictures();
    const warp0 = await warpPixels();
    await page.waitForTimeout(1500);
    const warp1 = await warpPixels();
    expect(await pagePictures()).toBe(before);
    await page.locator('#play').click();
    expect(warp1).not.toBe(warp0);
    expect(await label.getAttribute('aria-label')).toContain(swapped);
    expect(pageErrors).toEqual([]);
  });

  it('shows a neuron pointed at large from the worker’s pictures while training', async () => {
    await open('speed=max');
    await page.locator('#play').click();
    await poll(page, step, (s) => s > 0);
    await page.locator('#network g.neuron[data-layer="1"][data-index="1"]').hover();
    await poll(
      page,
      () => page.locator('#output-focus').isVisible(),
      (v) => v,
    );
    await page.waitForTimeout(300);
    const before = await pagePictures();
    const shown0 = await boundaryPixels();
    await page.waitForTimeout(1000);
    const shown1 = await boundaryPixels();
    expect(await pagePictures()).toBe(before);
    // the large picture follows training
    expect(shown1).not.toBe(shown0);
    // … and is the neuron's, not the decision regions: leaving the network brings those back
    await page.locator('#output-title').hover();
    await poll(
      page,
      () => page.locator('#output-focus').isHidden(),
      (v) => v,
    );
    await page.locator('#play').click();
    await page.waitForTimeout(300);
    const output = await boundaryPixels();
    await page.locator('#network g.neuron[data-layer="1"][data-index="1"]').hover();
    expect(await poll(page, boundaryPixels, (p) => p !== output)).not.toBe(output);
    expect(pageErrors).toEqual([]);
  });
});
