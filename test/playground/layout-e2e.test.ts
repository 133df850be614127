/**
 * The page's layout in headless Chromium: on a 1280 × 800 laptop the header is one row and the
 * boundary, the network, the warped space and the top of the backprop inspector show without
 * scrolling; projector mode and a 390 px phone have no sideways scrolling; the seed menu opens
 * inside the screen.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaygroundServer } from '../../src/cli/playground.js';
import { closePlayground, openPlayground } from './chromium.js';

/* The page's globals inside `page.evaluate` (Node's tsconfig has no DOM library). */
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

let outDir = '';
let profile = '';
let server: PlaygroundServer | undefined;
let context: BrowserContext | undefined;
const pageErrors: string[] = [];

/** A new page of `width × height` at `query`, once its views are drawn. */
async function open(query: string, width: number, height: number): Promise<Page> {
  const page = await context!.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize({ width, height });
  await page.goto(`${server!.url}${query}`, { waitUntil: 'networkidle' });
  await page.locator('#network svg').waitFor({ timeout: 10_000 });
  await page.locator('#warp canvas').waitFor({ timeout: 10_000 });
  return page;
}

/** The box on the screen of the first element matching `selector` (not scrolled). */
async function box(page: Page, selector: string): Promise<{ top: number; bottom: number }> {
  return page
    .locator(selector)
    .first()
    .evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    });
}

/** How far the page scrolls sideways, and the rightmost edge of any visible element. */
function overflow(page: Page): Promise<{ scroll: number; right: number; what: string }> {
  return page.evaluate(() => {
    let right = 0;
    let what = '';
    for (const e of document.body.querySelectorAll('*')) {
      if (!e.checkVisibility()) continue;
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > right) [right, what] = [r.right, `${e.tagName}.${e.className}`];
    }
    return { scroll: document.scrollingElement.scrollWidth, right, what };
  });
}

describe('the page layout', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    ({ outDir, server, context, profile } = await openPlayground('nabla-layout-', {
      width: 1280,
      height: 800,
    }));
  }, 120_000);

  afterAll(() => closePlayground({ context, server, outDir, profile }));

  it('fits a 1280 × 800 laptop: a one-row header, the views and the inspector’s top on screen', async () => {
    const page = await open('', 1280, 800);
    // One row: the header is as high as its tallest item (the counters) and every item of its
    // toolbar starts within a few pixels of the others.
    const header = await box(page, '.topbar');
    expect(header.bottom - header.top).toBeLessThanOrEqual(60);
    const tops = await page
      .locator(
        '.topbar h1, .run-controls button, .run-controls select, .more summary, .counters dd',
      )
      .evaluateAll((els) =>
        els
          .filter((e) => e.checkVisibility())
          .map((e) => {
            const r = e.getBoundingClientRect();
            return (r.top + r.bottom) / 2;
          }),
      );
    expect(tops.length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(20);
    // The boundary, the network, the warped space whole; the inspector's top 250 px at least.
    for (const selector of ['#boundary', '.panel.network h2', '#warp canvas']) {
      const b = await box(page, selector);
      expect(b.top, selector).toBeGreaterThanOrEqual(header.bottom);
      expect(b.bottom, selector).toBeLessThanOrEqual(800);
    }
    expect((await box(page, '.panel.warp')).top).toBeLessThan(800);
    const inspector = await box(page, '.panel.backprop');
    expect(inspector.top).toBeLessThanOrEqual(800 - 250);
    // The network's neurons, input to output, are on screen.
    const network = await box(page, '#network svg');
    expect(network.bottom).toBeLessThanOrEqual(800);
    // With a point picked, its equations and step buttons show under the views, unscrolled.
    await page.locator('#backprop-pick').click();
    await page.locator('#lecture .lp-row').first().waitFor();
    await page.evaluate(() => document.scrollingElement.scrollTo({ top: 0, behavior: 'instant' }));
    for (const selector of ['#lecture-back', '#lecture .lp-row']) {
      const b = await box(page, selector);
      expect(b.bottom, selector).toBeLessThanOrEqual(800);
    }
    const o = await overflow(page);
    expect(o.scroll).toBeLessThanOrEqual(1280);
    expect(o.right, o.what).toBeLessThanOrEqual(1280);
    await page.close();
  });

  it('keeps projector mode readable at 1280 × 800: no sideways scrolling, panels side by side', async () => {
    const page = await open('?large=1', 1280, 800);
    const o = await overflow(page);
    expect(o.scroll).toBeLessThanOrEqual(1280);
    expect(o.right, o.what).toBeLessThanOrEqual(1280);
    const network = await box(page, '.panel.network');
    const output = await box(page, '.panel.output');
    expect(output.top).toBe(network.top);
    expect(await page.locator('#error').isHidden()).toBe(true);
    await page.close();
  });

  it('fits a 390 px phone, the seed menu open too', async () => {
    const page = await open('', 390, 844);
    let o = await overflow(page);
    expect(o.scroll).toBeLessThanOrEqual(390);
    expect(o.right, o.what).toBeLessThanOrEqual(390);
    await page.locator('.more summary').click();
    await page.locator('#seed').waitFor({ state: 'visible' });
    expect(await page.locator('#restart').isVisible()).toBe(true);
    o = await overflow(page);
    expect(o.scroll).toBeLessThanOrEqual(390);
    expect(o.right, o.what).toBeLessThanOrEqual(390);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
